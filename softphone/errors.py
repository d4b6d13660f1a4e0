"""``PhoneError``: in a module of its own, so the desk's proxy raises it without loading
pjsua2 (which lives only in the engine's process)."""

from __future__ import annotations


class PhoneError(Exception):
    """A phone operation that cannot be done; ``str()`` says why in a sentence, ``reason`` is a
    stable word the desktop translates (max_calls, no_number, bad_key, no_call, sip,
    restarting)."""

    def __init__(self, message: str, reason: str = "sip") -> None:
        super().__init__(message)
        self.reason = reason
