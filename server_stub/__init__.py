"""The backend: authoritative store, auth, roles, team-scoped data (and, later, change feed,
events and SLA clocks). Speaks ``sync.contract.wire``; never imports the desktop."""

__version__ = "0.1.0"
