"""Qt item models of the work lists: rows in memory, filled by services, never by SQL."""
