"""The SMS gateway interface and the test gateway that records what it is given.

Another channel (an SMPP link, a messaging app's API) is one more class with ``send``; the
server never knows which one it holds (``server_stub.main`` picks it from the settings).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SmsMessage:
    to: str  # E.164
    text: str


class SmsSendError(Exception):
    """The provider refused or could not be reached (after its retries): the notice is logged
    as failed with this message."""


class SmsGateway(Protocol):
    """Sends one text message; raises ``SmsSendError`` when it was not accepted."""

    def send(self, message: SmsMessage) -> None: ...


class RecordingSmsGateway:
    """The test gateway: keeps every message in memory and sends nothing. Named for what it
    is; the server's ``--sms-gateway test`` (the demo, the tests) uses it, a centre an HTTP
    provider."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            self._sent.append(message)

    def messages(self, to: str | None = None) -> list[SmsMessage]:
        with self._lock:
            return [m for m in self._sent if to is None or m.to == to]
