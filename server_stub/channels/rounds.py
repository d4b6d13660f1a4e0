"""The mail rounds on the server's event loop: each team mailbox read and its queued replies
sent every ``poll_s``, the protocol work in a worker thread (imaplib and smtplib block) so
the API never waits on a mail server. One mailbox failing (down, a wrong password) is logged
and tried again next round; the others go on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from server_stub.channels.email_channel import EmailChannel
from server_stub.periodic import Periodic

log = logging.getLogger(__name__)


class MailRounds:
    def __init__(self, channels: Sequence[EmailChannel]) -> None:
        self.channels = tuple(channels)
        every = min((c.settings.poll_s for c in self.channels), default=30.0)
        self._periodic = Periodic("mail-rounds", every, self.round, failed="mail round failed")

    async def start(self) -> None:
        if self.channels:
            self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()
        for channel in self.channels:
            await asyncio.to_thread(channel.close)

    async def round(self) -> None:
        for channel in self.channels:
            name = channel.settings.name
            try:
                await asyncio.to_thread(channel.receive_round)
            except Exception as exc:
                # The exception's text only: imaplib's errors never carry the password.
                log.warning("mailbox %s: reading failed: %s", name, exc)
            try:
                await asyncio.to_thread(channel.send_round)
            except Exception as exc:
                log.warning("mailbox %s: sending failed: %s", name, exc)
