"""Where each write of the outbox goes on the server: the one table of the desk's write routes.

The outbox stores operations (entity, record id, op, payload), not URLs; ``route`` maps one to
a method and path when it is sent. A route renamed in a later release is changed here, and the
writes already queued by the older release go to the new route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FEEDBACK_ENTITY = "kb_feedback"  # outbox entity of a vote
VIEWS_ENTITY = "kb_view"  # … of a view
QUESTION_ENTITY = "kb_question"  # … of a question for the experts

# Records the desk creates, updates and deletes: the collection of each (paths under API_PREFIX).
COLLECTIONS: dict[str, str] = {
    "customer": "/customers",
    "asset": "/assets",
    "interaction": "/interactions",
    "ticket": "/tickets",
    "dispatch": "/dispatches",
    "task": "/tasks",
    "article": "/kb/articles",
    "kb_synonym": "/kb/synonyms",
}
RECORD_OPS = {"create": "POST", "update": "PATCH", "delete": "DELETE"}


@dataclass(frozen=True, slots=True)
class Call:
    """A write that is not an edit of a cached record. ``{id}`` in the path is the target's id
    (an article, a question, a monitor grant); the entity groups them in the outbox."""

    entity: str
    method: str
    path: str


CALLS: dict[str, Call] = {
    "presence.set": Call("presence", "PUT", "/presence/me"),
    "kb.view": Call(VIEWS_ENTITY, "POST", "/kb/articles/{id}/views"),
    "kb.feedback": Call(FEEDBACK_ENTITY, "POST", "/kb/articles/{id}/feedback"),
    "kb.ask": Call(QUESTION_ENTITY, "POST", "/kb/questions"),
    "kb.answer": Call(QUESTION_ENTITY, "POST", "/kb/questions/{id}/answer"),
    "monitor.end": Call("monitor", "POST", "/monitor/{id}/end"),
    "monitor.refused": Call("monitor", "POST", "/monitor/refused"),
    # 1.7: a recording paused or resumed (sync.contract.recordings.RECORDING_EVENTS).
    "recording.event": Call("recording", "POST", "/recordings/events"),
    # 1.8: the agent's email reply to a ticket (sync.contract.mail.EMAIL_REPLIES). Not dropped
    # on a 404: the agent's words must not vanish; the desk offers it only to a 1.8 server.
    "email.reply": Call("email", "POST", "/tickets/{id}/email-replies"),
}
# Calls a server before their contract version does not have: its 404 drops the write (logged)
# instead of failing it for the agent; what they tell is kept on the desk anyway (a recording's
# pauses are in its metadata).
DROPPED_ON_404 = frozenset({"recording.event"})


class UnknownOperationError(ValueError):
    """An outbox entry this release cannot send (written by a newer one)."""


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str


@dataclass(frozen=True, slots=True)
class Operation:
    """One queued write as the outbox stores it (the payload and key travel beside it)."""

    entity: str
    op: str  # create | update | delete | a key of CALLS
    record_id: int | None = None  # the cached record it edits
    target_id: int | None = None  # the id a call's route names

    def route(self) -> Route:
        call = CALLS.get(self.op)
        if call is not None:
            if "{id}" in call.path and self.target_id is None:
                raise UnknownOperationError(f"'{self.op}' needs the id of what it is about.")
            return Route(call.method, call.path.replace("{id}", str(self.target_id)))
        method = RECORD_OPS.get(self.op)
        collection = COLLECTIONS.get(self.entity)
        if method is None or collection is None:
            raise UnknownOperationError(f"This version cannot send '{self.op}' of {self.entity}.")
        if self.op == "create":
            return Route(method, collection)
        if self.record_id is None:
            raise UnknownOperationError(f"'{self.op}' of {self.entity} names no record.")
        return Route(method, f"{collection}/{self.record_id}")


def call(op: str, target_id: int | None = None) -> Operation:
    """A named call (``CALLS``), e.g. ``call("kb.view", article_id)``."""
    if op not in CALLS:
        raise UnknownOperationError(f"There is no call named '{op}'.")
    return Operation(CALLS[op].entity, op, None, target_id)


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(path).replace(re.escape("{id}"), r"(-?\d+)") + "$")


_CALL_PATTERNS = [(op, c.method, _pattern(c.path)) for op, c in CALLS.items()]


def call_from_route(method: str, path: str) -> Operation | None:
    """The call an outbox of the release before operations stored as a method and path
    (routes of that release), or None when it is none of ours."""
    for op, call_method, pattern in _CALL_PATTERNS:
        match = pattern.match(path)
        if match and call_method == method.upper():
            target = int(match.group(1)) if match.groups() else None
            return Operation(CALLS[op].entity, op, None, target)
    return None


# -- administration (contract 1.6): online calls, never queued -------------------------------
# An admin's change must be seen to succeed or fail while they look at it (a conflict with a
# second admin, the last user manager kept), so these go straight to the server
# (``ApiClient.admin_*``); a server before 1.6 answers 404 on each.

ADMIN_ROLES = "/admin/roles"
ADMIN_ROLE = "/admin/roles/{name}"
ADMIN_USERS = "/admin/users"
ADMIN_USER = "/admin/users/{id}"
ADMIN_USER_PASSWORD = "/admin/users/{id}/password"
ADMIN_USER_SIGN_OUT = "/admin/users/{id}/sign-out"
ADMIN_TEAMS = "/admin/teams"
ADMIN_IMPORT_PREVIEW = "/admin/import/preview"
ADMIN_IMPORT_APPLY = "/admin/import/apply"
OWN_PASSWORD = "/auth/password"
