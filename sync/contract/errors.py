"""The codes an error answer carries (``wire.ErrorBody.code``), one name for both ends.

The server raises only these; the desk decides on them (retry, sign in again, update, show the
field) and translates them for the agent. ``ErrorBody.code`` stays a plain string on the wire so
that a desk reads a code a newer server added: it treats an unknown code by its HTTP status.
A few codes are the desk's own (``DESK_ONLY``): refusals the desk records in its outbox when
the server never gave one.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # The request itself.
    BAD_REQUEST = "bad_request"
    INVALID_REQUEST = "invalid_request"  # a field is wrong: ErrorBody.field names it
    MALFORMED_JSON = "malformed_json"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    BODY_TOO_LARGE = "body_too_large"
    LENGTH_REQUIRED = "length_required"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    BAD_CONTRACT_HEADER = "bad_contract_header"
    DESK_TOO_OLD = "desk_too_old"  # 426: the agent is told to update
    # Who is asking.
    NOT_AUTHENTICATED = "not_authenticated"
    BAD_CREDENTIALS = "bad_credentials"
    TOKEN_INVALID = "token_invalid"
    FORBIDDEN = "forbidden"
    # The records.
    NOT_FOUND = "not_found"
    VERSION_CONFLICT = "version_conflict"  # 409 with ConflictBody.current
    DUPLICATE = "duplicate"
    IN_USE = "in_use"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    # 1.6: a guarded action (an address change) without the identity checks the centre
    # requires (DeskSettings.required_checks): ErrorBody.field is "checks".
    CHECKS_REQUIRED = "checks_required"
    # Calls and monitoring.
    NOT_ON_CALL = "not_on_call"
    NO_PHONE = "no_phone"
    ENDED = "ended"
    # The server failed (a bug): the desk retries a few times, then refuses the write.
    INTERNAL_ERROR = "internal_error"
    # 503 with Retry-After: every database connection is busy (a burst after an outage).
    # Not the write's fault: the desk keeps it and sends it again later.
    SERVER_BUSY = "server_busy"
    # The desk's own refusals, recorded in its outbox.
    SERVER_ERROR = "server_error"  # the server failed this write every time it was tried
    UNKNOWN_OPERATION = "unknown_operation"  # a queued operation this desk cannot send


DESK_ONLY = frozenset({ErrorCode.SERVER_ERROR, ErrorCode.UNKNOWN_OPERATION})

# What the server answers by itself for a status (an unknown path, a wrong method).
FOR_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    406: ErrorCode.NOT_ACCEPTABLE,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}
