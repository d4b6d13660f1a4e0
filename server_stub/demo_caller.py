"""The demo caller: demo customers ring the demo agent's phone, as a queue would offer calls.

Started by ``agent-server --demo-calls-to sip:…`` (``agent-desktop --demo`` does it), so a
newcomer sees a real screen pop within a minute. Like an ACD it offers a call only to an agent
whose presence is Ready (never during a call or its wrap-up) and one call at a time. Callers
come from a rotation of the agent's team's seeded contacts, their numbers written the ways
trunks send them (E.164, ``00`` international, a bare mobile, a landline with the trunk ``0``
and an extension), plus one number nobody knows and one withheld; each plays a short spoken
prompt in the customer's language (``resources/sounds/demo``, made by ``make_prompts.sh``).

Each call is ``python -m softphone.caller`` in a child process, not an import: the backend
never links pjsua2 (an import-linter contract), and a SIP stack crashing takes only its call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import phonenumbers
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from server_stub.clock import system_clock
from server_stub.core.config import DemoCallSettings
from server_stub.core.db import Database
from server_stub.feed import raise_event, record_change
from server_stub.models import ContactRow, CustomerRow, PresenceRow, QueueRow, UserRow
from server_stub.periodic import Periodic
from server_stub.serialize import queue_out
from sync.contract.records import AgentState

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "demo"
UNKNOWN_NUMBER = "13912345678"  # a valid mobile no demo customer has
WITHHELD_NUMBER = "anonymous"  # RFC 3323: what a caller who hides their number sends
WITHHELD_DOMAIN = "anonymous.invalid"
POLL_S = 0.5  # how often presence is read: a Ready agent waits at most this long extra
STOP_S = 5.0  # a child that ignores SIGTERM this long is killed


class CallerKind(StrEnum):
    KNOWN = "known"  # a seeded contact: the screen pop finds the customer
    UNKNOWN = "unknown"  # a valid number on no customer: "new caller"
    WITHHELD = "withheld"  # no number at all


@dataclass(frozen=True, slots=True)
class SeededContact:
    name: str
    phone_e164: str
    extension: str
    language: str  # the customer's: which prompt the caller plays


@dataclass(frozen=True, slots=True)
class DemoCall:
    kind: CallerKind
    number: str  # the user part of our From, as a trunk would send it
    name: str  # display name ("" when the network gives none)
    language: str
    domain: str = "127.0.0.1"
    e164: str = ""  # for a known caller: the number on file it must resolve to


# The ways the caller id of one number arrives, by the contact's position in the rotation.
_FORMS = ("e164", "national", "international_00")


def caller_id(contact: SeededContact, form: str) -> str:
    """``contact``'s number written as ``form``. A Chinese trunk sends national numbers as
    digits (a mobile bare, a landline with the trunk 0 and its area code); an extension rides
    after an ``x``, which ``sync.contract.phone`` reads. A foreign number has no national form."""
    number = phonenumbers.parse(contact.phone_e164)
    domestic = number.country_code == 86
    if contact.extension and domestic:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return national.replace(" ", "-") + "x" + contact.extension
    if form == "national" and domestic:
        digits = phonenumbers.national_significant_number(number)
        mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        return digits if mobile else "0" + digits
    if form == "international_00":
        return "00" + contact.phone_e164[1:]
    return contact.phone_e164


def demo_rotation(contacts: Sequence[SeededContact]) -> list[DemoCall]:
    """The calls in the order they come: known callers first (a newcomer's first pop finds
    someone), the unknown number third, the withheld one seventh."""
    calls = [
        DemoCall(
            CallerKind.KNOWN,
            caller_id(contact, _FORMS[index % len(_FORMS)]),
            contact.name,
            contact.language,
            e164=contact.phone_e164,
        )
        for index, contact in enumerate(contacts)
    ]
    calls.insert(min(2, len(calls)), DemoCall(CallerKind.UNKNOWN, UNKNOWN_NUMBER, "", "zh"))
    calls.insert(
        min(6, len(calls)),
        DemoCall(CallerKind.WITHHELD, WITHHELD_NUMBER, "Anonymous", "en", WITHHELD_DOMAIN),
    )
    return calls


def team_contacts(database: Database, username: str) -> list[SeededContact]:
    """The contacts of the agent's team's customers (a queue offers the team's callers)."""
    with database.session() as session:
        team_id = session.scalar(select(UserRow.team_id).where(UserRow.username == username))
        rows = session.execute(
            select(
                ContactRow.name, ContactRow.phone_e164, ContactRow.extension, CustomerRow.language
            )
            .join(CustomerRow, ContactRow.customer_id == CustomerRow.id)
            .where(CustomerRow.team_id == team_id, ContactRow.phone_e164 != "")
            .order_by(CustomerRow.id, ContactRow.id)
            .limit(50)
        ).all()
    return [SeededContact(name, e164, ext or "", lang or "zh") for name, e164, ext, lang in rows]


def team_queue(database: Database, username: str) -> str:
    """The queue the agent's team answers (its first): what the PBX would name in X-Queue."""
    with database.session() as session:
        team_id = session.scalar(select(UserRow.team_id).where(UserRow.username == username))
        name = session.scalar(
            select(QueueRow.name).where(QueueRow.team_id == team_id).order_by(QueueRow.id)
        )
    return name or ""


def report_waiting(database: Database, queue: str, waiting: int, now: datetime) -> bool:
    """The queue's live counters as an ACD would report them: a caller waits while the demo
    call rings, nobody once it is answered or given up (the lead's board shows the wait and
    runs it on from ``now``; issue 19 saw a seeded "1 waiting, longest 0:35" that never moved).
    Returns whether the counters changed."""
    with database.session() as session:
        row = session.scalar(select(QueueRow).where(QueueRow.name == queue))
        if row is None or (row.waiting, row.longest_wait_s) == (waiting, 0):
            return False
        row.waiting, row.longest_wait_s, row.updated_at = waiting, 0, now
        session.flush()  # the version goes up here
        out = queue_out(row)
        record_change(session, "queue", out, team_id=row.team_id, now=now)
        raise_event(session, out, now=now, team_id=row.team_id)
        session.commit()
    return True


def agent_presence(database: Database, username: str) -> AgentState:
    with database.session() as session:
        state = session.scalar(
            select(PresenceRow.state)
            .join(UserRow, PresenceRow.user_id == UserRow.id)
            .where(UserRow.username == username)
        )
    try:
        return AgentState(state) if state else AgentState.LOGGED_OUT
    except ValueError:
        return AgentState.LOGGED_OUT


class DemoCaller:
    """Rings ``settings.target`` while ``settings.agent`` is Ready; ``start``/``stop`` on the
    server's event loop (its lifespan)."""

    def __init__(
        self,
        database: Database,
        settings: DemoCallSettings,
        *,
        prompts_dir: Path = PROMPTS_DIR,
        python: str = sys.executable,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._database = database
        self._settings = settings
        self._prompts = sorted(prompts_dir.glob("*.wav"))
        self._python = python
        self._clock = clock
        self._now = now or system_clock().now  # the stamps of the queue's counters
        self._rounds = Periodic(
            "demo-caller",
            POLL_S,
            self._tick,
            failed="demo caller: call attempt failed",
            after_failure=self._retry_later,
        )
        self._child: asyncio.subprocess.Process | None = None
        self._rotation: list[DemoCall] = []
        self.queue = ""  # the team's queue, sent as X-Queue like a PBX (the desk records it)
        self.placed = 0  # calls made so far (picks the next caller)
        self._spoken: dict[str, int] = {}  # prompts played, by language
        self._ready_since: float | None = None
        self._next_due: float | None = None  # None: the first call, after first_after_s

    async def start(self) -> None:
        if not self._prompts:
            log.warning("demo caller: no prompts in %s; the calls will be silent", PROMPTS_DIR)
        log.info(
            "demo caller: ringing %s every %.0f s while %s is Ready",
            self._settings.target,
            self._settings.every_s,
            self._settings.agent,
        )
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
        await self._end_child()

    def _retry_later(self) -> None:
        # The database blipped, a child failed to start: the next call after a full interval.
        self._next_due = self._clock() + self._settings.every_s

    async def _tick(self) -> None:
        presence = await run_in_threadpool(agent_presence, self._database, self._settings.agent)
        now = self._clock()
        if presence != AgentState.READY:
            self._ready_since = None
            return
        if self._ready_since is None:
            self._ready_since = now
        due = self._next_due
        if due is None:
            due = self._ready_since + min(self._settings.first_after_s, self._settings.every_s)
        if now < due:
            return
        if not self._rotation:
            contacts = await run_in_threadpool(team_contacts, self._database, self._settings.agent)
            self._rotation = demo_rotation(contacts)
            self.queue = await run_in_threadpool(team_queue, self._database, self._settings.agent)
        call = self._rotation[self.placed % len(self._rotation)]
        await self.place(call)
        self._next_due = self._clock() + self._settings.every_s

    def _prompt(self, language: str) -> str:
        """The next prompt in the caller's language (each language's prompts take turns)."""
        mine = [p for p in self._prompts if p.name.startswith(language)] or self._prompts
        if not mine:
            return ""
        turn = self._spoken.get(language, 0)
        self._spoken[language] = turn + 1
        return str(mine[turn % len(mine)])

    def command(self, call: DemoCall) -> list[str]:
        s = self._settings
        command = [self._python, "-m", "softphone.caller", s.target]
        command += ["--name", call.name, "--number", call.number, "--domain", call.domain]
        command += ["--talk-s", f"{s.talk_s:g}", "--ring-s", f"{s.ring_s:g}"]
        if self.queue:
            command += ["--header", f"X-Queue: {self.queue}"]
        prompt = self._prompt(call.language)
        if prompt:
            command += ["--play", prompt]
        return command

    async def place(self, call: DemoCall) -> bool:
        """Ring once and wait for the call to end; True when the agent answered."""
        command = self.command(call)
        self.placed += 1
        started = self._clock()
        log.info(
            "demo call %d: %s caller %r from %s",
            self.placed,
            call.kind.value,
            call.name,
            call.number,
        )
        self._child = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        answered = False
        limit = self._settings.ring_s + self._settings.talk_s + STOP_S
        await self._report_waiting(1)
        try:
            async with asyncio.timeout(limit):
                answered = await self._follow(self._child)
        except TimeoutError:
            log.warning("demo call %d: the caller did not finish in %.0f s", self.placed, limit)
        finally:
            await self._report_waiting(0)
            await self._end_child()
        log.info(
            "demo call %d: %s after %.0f s",
            self.placed,
            "answered, hung up" if answered else "not answered",
            self._clock() - started,
        )
        return answered

    async def _follow(self, child: asyncio.subprocess.Process) -> bool:
        assert child.stdout is not None
        answered = False
        async for raw in child.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith("CONNECTED"):  # the rest is pjlib's start-up chatter
                answered = True
                log.info("demo call %d: answered", self.placed)
                await self._report_waiting(0)
        await child.wait()
        return answered

    async def _report_waiting(self, waiting: int) -> None:
        if not self.queue:
            return
        try:
            await run_in_threadpool(
                report_waiting, self._database, self.queue, waiting, self._now()
            )
        except Exception:  # the board's counter is a nicety: the call goes on without it
            log.warning("demo caller: queue counters not reported", exc_info=True)

    async def _end_child(self) -> None:
        """SIGTERM (the caller says BYE and goes), then kill if it will not."""
        child, self._child = self._child, None
        if child is None or child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            child.terminate()
        try:
            await asyncio.wait_for(child.wait(), STOP_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()
