"""Sends the queued SMS notices in the background of each server process (a second process
may pick the same row: the provider's dedupe and the short round keep that rare; a centre
with many processes runs the sender in one of them)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.periodic import Periodic
from server_stub.sms.gateway import SmsGateway
from server_stub.sms.notices import send_queued


class SmsSender:
    def __init__(self, database: Database, gateway: SmsGateway, interval_s: float = 1.0) -> None:
        self._database = database
        self.gateway = gateway
        self._rounds = Periodic(
            "sms-sender",
            interval_s,
            lambda: run_in_threadpool(self.send),
            failed="SMS round failed",
        )

    def send(self) -> int:
        with self._database.session() as session:
            return send_queued(session, self.gateway)

    async def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
