"""Tables of the local cache (one SQLite file per user and server).

``records`` holds every record the agent may see as one JSON document per (entity, id), with its
sync state; ``phones`` is the screen-pop index derived from customers; ``outbox`` holds writes
not yet confirmed by the server, in the order they were made, as operations (``sync.routes``
maps them to the server's routes when they are sent); ``meta`` holds the cursor and the owner.

The file's schema version is ``PRAGMA user_version``. A change here is a new step in
``sync.cache_steps`` (step N upgrades N-1 to N in place, outbox kept) and ``SCHEMA_VERSION``
moves to N; a test checks that the steps build exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, literal_column, text

# 2: customer / ticket expression indexes (360); 3: ticket numbers; 4: the outbox stores
# operations, not method and path; 5: the expression indexes hold only records that have the
# field (partial), and parse the JSON only when its text names the field; the state index only
# the records not synced
SCHEMA_VERSION = 5

metadata = MetaData()

records = Table(
    "records",
    metadata,
    Column("entity", String(16), primary_key=True),
    # Negative ids are records created here and not yet confirmed by the server.
    Column("id", Integer, primary_key=True, autoincrement=False),
    # The server version that ``data`` is based on (the base of the pending edits, if any).
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),  # JSON: what the agent sees, pending edits included
    # synced | pending (edits waiting) | conflict (409: both kept) | failed (4xx: fix or discard)
    Column("state", String(10), nullable=False, default="synced"),
    # While not synced: the newest copy the server has shown us (or "deleted"), to compare with.
    Column("server_version", Integer),
    Column("server_data", Text),
    Column("server_deleted", Integer, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
)
# Only the records not in step with the server (few: the synced are most of the cache, and a
# first sync of millions would index them all for nothing); queries say ``UNSYNCED`` too, so
# SQLite may use it (a partial index serves a query that repeats its condition).
UNSYNCED = "state <> 'synced'"
Index("records_state", records.c.state, sqlite_where=text(UNSYNCED))
# The customer 360 reads a caller's tickets, assets, tasks and interactions, and the dispatches
# of those tickets, by indexes on the JSON itself: no copy of the field to keep in step. Queries
# must spell the expression exactly so (see sync.customer_view), or SQLite scans.
# Each index is partial: only the records that have the field (a comparison with the
# expression, ``=``, ``IN``, ``<``, implies ``IS NOT NULL``, so SQLite uses them for every such
# query). Most records have none of them (customers have none, calls only a customer): the
# indexes are a fraction of the table. And the expression parses the JSON only when it can
# hold the field: never for a customer (the bulk of a cache; a customer refers to no customer,
# ticket or number, so for it the expression is NULL by definition), and otherwise only when
# the field's name is in the text at all (``instr``; our JSON never escapes a key's letters,
# so a record with the field always has its name). A first sync of two million records
# builds the three in a fraction of the time of full indexes (sync.snapshot_load).


def _field_of(field: str) -> str:
    return (
        f"CASE WHEN entity <> 'customer' AND instr(data, '\"{field}\"') > 0 "
        f"THEN json_extract(data, '$.{field}') END"
    )


CUSTOMER_OF = _field_of("customer_id")
TICKET_OF = _field_of("ticket_id")
NUMBER_OF = _field_of("number")


def _partial(name: str, of: str) -> Index:
    return Index(
        name,
        records.c.entity,
        literal_column(of),
        sqlite_where=literal_column(f"{of} IS NOT NULL"),
    )


_partial("records_customer", CUSTOMER_OF)
_partial("records_ticket", TICKET_OF)
# A new ticket's number continues the day's count of this agent (sync.contract.rules.TICKET_NUMBER).
_partial("records_number", NUMBER_OF)

phones = Table(
    "phones",
    metadata,
    Column("e164", String(20), nullable=False),
    Column("customer_id", Integer, nullable=False),
)
Index("phones_e164", phones.c.e164)
Index("phones_customer", phones.c.customer_id)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(16), nullable=False),
    Column("record_id", Integer),  # None for calls that are not about one cached record
    # create | update | delete (of the record) | a call of sync.routes.CALLS ("kb.view", …)
    Column("op", String(24), nullable=False),
    Column("target_id", Integer),  # a call's: the id its route names (an article, a grant)
    Column("key", String(64), nullable=False, unique=True),  # the Idempotency-Key
    Column("base_version", Integer),
    Column("payload", Text),  # JSON
    Column("state", String(10), nullable=False, default="queued"),  # queued | failed | conflict
    Column("error", Text, nullable=False, default=""),
    Column("error_field", String(100)),
    Column("error_code", String(40), nullable=False, default=""),  # the server's code
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
)
Index("outbox_record", outbox.c.entity, outbox.c.record_id)

meta = Table(
    "meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
