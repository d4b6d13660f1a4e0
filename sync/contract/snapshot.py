"""First-sync snapshots: what the server sends a new desk instead of its whole change feed.

A snapshot is a SQLite file, compressed with zstd, holding every record a desk of one
visibility scope may see, as the change feed would leave them, and the feed cursor it is
consistent with. The desk ATTACHes the unpacked file and copies its rows into its own cache in
one transaction (``INSERT … SELECT``: no row passes through Python), sets the cursor, and goes
on with the change feed from there. Why SQLite: it is the desk's own format, so loading is one
statement in C; zstd: it unpacks at over 1 GB/s, and JSON records compress about 6:1.

The route (``SNAPSHOT_ROUTE``) came with contract 1.2: an older server answers 404, and the
desk pulls the feed as before. The answer is the compressed file itself, with its length, a
strong ETag (the sha256 of the compressed bytes, also in ``SHA256_HEADER``), the cursor and the
record count in headers, and byte ranges. The file's own ``snapshot_meta`` table repeats the
format, cursor and count; the desk refuses a format it does not know (and uses the feed).
"""

from __future__ import annotations

SNAPSHOT_ROUTE = "/snapshot"  # under API_PREFIX; GET, the feed's permission (feed.read)
# The tables below; a new format is a new number the desk refuses (and pulls the feed).
# 2: the screen-pop index comes with the records (PHONES_TABLE), derived once by the server
# rather than by every desk from millions of JSON documents.
FORMAT = 2

SHA256_HEADER = "X-AW-Snapshot-SHA256"  # hex sha256 of the compressed body
CURSOR_HEADER = "X-AW-Snapshot-Cursor"  # the change-feed cursor the records are consistent with
RECORDS_HEADER = "X-AW-Snapshot-Records"  # how many records the file holds
FORMAT_HEADER = "X-AW-Snapshot-Format"
MEDIA_TYPE = "application/vnd.agent-workstation.snapshot+zstd"

# The records as the desk's cache keeps them: one JSON document per (entity, id), at its
# version, ordered by (entity, id) so the desk's primary key is built in order.
RECORDS_TABLE = "snapshot_records"
RECORDS_DDL = (
    f"CREATE TABLE {RECORDS_TABLE} ("
    "entity TEXT NOT NULL, id INTEGER NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)"
)
# The screen-pop index as the desk's cache keeps it (``sync.cache._phone_keys``): per customer,
# each distinct key of its contacts (the contact's ``phone_e164``, else the lookup key of the
# number as typed, ``sync.contract.phone.lookup_key``).
PHONES_TABLE = "snapshot_phones"
PHONES_DDL = f"CREATE TABLE {PHONES_TABLE} (e164 TEXT NOT NULL, customer_id INTEGER NOT NULL)"
META_TABLE = "snapshot_meta"  # key/value: format, cursor, records, scope, built_at
META_DDL = f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
