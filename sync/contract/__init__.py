"""The contract between desk and server: everything both ends must agree on, and its version.

- ``records``: frozen dataclasses and enums (roles, states, priorities, statuses).
- ``wire``: the pydantic request and answer models, tolerant readers (``WireModel.read``).
- ``events``: the event stream's payloads, one typed model per kind.
- ``errors``: the error codes an answer carries.
- ``rules``: the business rules both ends apply (permissions, SLA deadlines, escalation,
  ticket numbers, the centre's day); ``desk``: the desk's reason codes and settings.
- ``phone``: phone-number normalisation and lookup keys; ``wallboard``: how the board counts.
- ``kb``: knowledge-base counters and statistics on the wire.
- ``snapshot``: the first-sync snapshot's route, headers and file format.
- ``version``: which contract each end speaks and which it serves.

The backend imports only this package (and ``sync.clock``); the desk half of ``sync`` (cache,
outbox, engine, the REST client that alone knows URLs) builds on it. import-linter enforces
both arrows (``pyproject.toml``).
"""
