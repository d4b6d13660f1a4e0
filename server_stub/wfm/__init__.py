"""Workforce planning on the server (issue 21): the centre's calendar (public holidays and
调休), the forecast, Erlang C staffing, the roster optimiser, adherence, and the storage of
shift patterns and rosters. The shapes on the wire are ``sync.contract.wfm``'s.

Pure modules (``calendar``, ``forecast``, ``erlang``, ``staffing``, ``optimiser``,
``adherence``) take plain values and return frozen dataclasses; ``store`` alone touches the
database. numpy and PuLP are imported here, never by the desk.
"""
