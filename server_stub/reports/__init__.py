"""Report aggregation (issue 21, ``sync.contract.reports``): SQL Core statements that run on
SQLite and PostgreSQL, one grouped pass per figure family, folded into periods in Python.

- ``scope``: who may see what, the filter as WHERE clauses, the period's UTC bounds.
- ``dialect``: the few expressions SQLite and PostgreSQL spell differently (local time,
  seconds between two instants, JSON array length, greatest / least).
- ``periods``: SQL groups by local hour or 15-minute interval (integers); Python folds them
  into days, weeks, months and the weekday × hour heat map.
- ``traffic``, ``handling``, ``service``, ``people``, ``drill``, ``dimensions``: one report
  each.
"""
