"""The headless tour: drive the real app through its main screens and photograph each one.

``agent-desktop --demo --offscreen --tour OUTDIR`` writes ``NN-name.png`` per screen and
``tour.log``. Each step uses the same widgets and services a user would; a step that cannot
complete fails the tour (exit code 1) and says which.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, SignalInstance
from PySide6.QtWidgets import QWidget

from agent_desktop.demo_backend import DEMO_PASSWORD, DEMO_USER
from agent_desktop.services.quality import QualityService
from agent_desktop.services.reports import ReportsService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.tasks import TaskRunner
from agent_desktop.tour_recording import TourRecorder, sample_recording
from agent_desktop.ui.dialogs.dispatch_form import DispatchForm
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.models.tickets_model import View
from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
from agent_desktop.ui.quality.window import QualityWindow
from agent_desktop.ui.reports.pdf_report import write_pdf
from agent_desktop.ui.reports.window import ReportsWindow
from softphone.events import EngineState
from sync.cache import open_cache
from sync.client import ApiClient, ApiError
from sync.contract.quality import Answer, ScorecardItem
from sync.contract.records import SessionGrant
from sync.contract.wire import MonitorGrantOut, MonitorRequest
from sync.engine import SyncEngine

if TYPE_CHECKING:
    from agent_desktop.app import Workstation

log = logging.getLogger(__name__)
STEP_TIMEOUT_S = 20.0
# The screens centres use, in logical pixels: 1366×768 and 1920×1080 at 100 % and at 150 %.
SCREENS = {
    "1366x768": (1366, 768),
    "1366x768-150": (910, 512),
    "1920x1080": (1920, 1080),
    "1920x1080-150": (1280, 720),
}


class TourError(Exception):
    pass


async def wait_signal(signal: SignalInstance, timeout_s: float = STEP_TIMEOUT_S) -> Any:
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args[0] if len(args) == 1 else args)

    signal.connect(fire)
    try:
        return await asyncio.wait_for(future, timeout_s)
    finally:
        signal.disconnect(fire)


async def settle(seconds: float = 0.15) -> None:
    """Let layouts and paint events run before a screenshot."""
    QCoreApplication.processEvents()
    await asyncio.sleep(seconds)
    QCoreApplication.processEvents()


class Tour:
    def __init__(self, workstation: Workstation, server_url: str, out_dir: Path) -> None:
        self.ws = workstation
        self.server_url = server_url
        self.out_dir = out_dir
        self.shots: list[Path] = []
        self._log_lines: list[str] = []
        self._started = time.monotonic()
        self._agent_id = 0  # the demo agent's user id (the quality step)

    def note(self, text: str) -> None:
        line = f"{time.monotonic() - self._started:7.2f}s  {text}"
        log.info("tour: %s", text)
        self._log_lines.append(line)

    async def shoot(self, widget: QWidget, name: str) -> Path:
        await settle()
        path = self.out_dir / f"{len(self.shots) + 1:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise TourError(f"could not write {path}")
        self.shots.append(path)
        self.note(f"screenshot {path.name} ({widget.width()}x{widget.height()})")
        return path

    def keep(self, image: Path, name: str) -> Path:
        """A PNG made outside the app (a PDF's page rendered by pdftoppm), kept as a shot."""
        path = self.out_dir / f"{len(self.shots) + 1:02d}-{name}.png"
        shutil.move(image, path)
        self.shots.append(path)
        self.note(f"screenshot {path.name} (rendered outside the app)")
        return path

    async def run(self) -> int:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            await self._steps()
            code = 0 if self.ws.crash.count == 0 else 1
            if code:
                self.note(f"FAILED: {self.ws.crash.count} uncaught exception(s), see the log")
            else:
                self.note(f"done: {len(self.shots)} screens")
        except (TourError, TimeoutError) as exc:
            self.note(f"FAILED: {exc or type(exc).__name__}")
            code = 1
        (self.out_dir / "tour.log").write_text("\n".join(self._log_lines) + "\n", encoding="utf-8")
        return code

    async def _steps(self) -> None:
        ws = self.ws
        session = ws.session
        self.note(f"demo backend at {self.server_url}")

        dialog = ws.show_login(server_url=self.server_url, username=DEMO_USER)
        await self.shoot(dialog, "login")

        dialog.password_edit.setText("not-the-password")
        failed = asyncio.ensure_future(wait_signal(session.sign_in_failed))
        dialog.sign_in_button.click()
        message = await failed
        self.note(f"wrong password refused: {message}")
        await self.shoot(dialog, "login-wrong-password")

        dialog.password_edit.setText(DEMO_PASSWORD)
        signed_in = asyncio.ensure_future(wait_signal(session.signed_in))
        dialog.sign_in_button.click()
        grant = await signed_in
        self.note(f"signed in as {grant.user.display_name} ({grant.user.role.value})")
        window = ws.main_window
        await self.until(
            lambda: ws.sync.status.state == "online" and ws.sync.status.last_synced is not None,
            "the first sync",
        )
        cache = ws.sync.cache
        assert cache is not None
        self.note(f"first sync: {cache.count()} records in the local cache")
        await self.shoot(window, "main-window")

        window.work_area.setCurrentIndex(1)
        await self.shoot(window, "dispatch-tab")
        await self._knowledge()
        window.work_area.setCurrentIndex(0)

        view_menu = window.view_menu
        view_menu.popup(window.mapToGlobal(window.rect().topLeft()))
        await settle()
        await self.shoot(view_menu, "view-menu")
        view_menu.close()

        await self._conflict()
        await self._refused()
        await self._phone_call()
        await self._phone_restart()
        await self._phone_account()
        await self._wallboard()
        await self._quality()
        await self._workforce()
        await self._reports()
        await self._cheat_sheet()

    async def _knowledge(self) -> None:
        """The knowledge base, searched in Chinese as an agent would while the caller talks."""
        window = self.ws.main_window
        desk = window.work_desk
        panel = desk.knowledge if desk is not None else None
        if panel is None:
            raise TourError("the knowledge base tab is not installed")
        window.work_area.setCurrentIndex(3)
        await self.until(lambda: bool(panel.kb.index_report), "the knowledge base index")
        panel.search_edit.setText("输液泵 报警")
        await self.until(lambda: panel.model.rowCount() > 0, "knowledge base results")
        panel.results.setCurrentIndex(panel.model.index(0))
        panel.article.open(int(panel.model.hit(0).article_id))
        await self.until(lambda: panel.article.detail is not None, "the article")
        answer = panel.last_answer
        self.note(
            f"knowledge base: 输液泵 报警 -> {panel.model.rowCount()} articles, first "
            f"{panel.model.hit(0).title} ({answer.elapsed_ms if answer else 0:.1f} ms)"
        )
        await self.shoot(window, "knowledge-base-tab")

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TourError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)

    async def _conflict(self) -> None:
        """Another agent (Alice, on her own headless desk) changes a ticket that 王芳 then
        changes from a stale copy: the server answers 409 and the conflict dialog opens."""
        ws, window = self.ws, self.ws.main_window
        cache = ws.sync.cache
        assert cache is not None
        ticket = next(r for r in cache.all("ticket") if r.data["status"] != "closed")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, other_desk_edits, self.server_url, self.out_dir, ticket.id)
        ws.sync.save(
            "ticket", ticket.id, {"summary": "输液泵 E-17 报警，客户要求上门", "priority": "P1"}
        )
        await self.until(window.conflicts_button.isVisible, "the conflict")
        self.note(f"conflict on ticket {ticket.data['number']}: {window.conflicts_button.text()}")
        await self.shoot(window, "sync-conflict")
        window.conflicts_button.click()
        dialog = window.conflict_dialog
        if dialog is None:
            raise TourError("the conflict dialog did not open")
        await self.shoot(dialog, "conflict-dialog")
        dialog.choose("summary", "mine", "输液泵 E-17 报警 / pump alarm E-17，客户要求上门")
        dialog.accept_button.click()
        await self.until(
            lambda: ws.sync.status.conflicts == 0 and ws.sync.status.waiting == 0,
            "the settled conflict to reach the server",
        )
        self.note("conflict settled and sent")

    async def _refused(self) -> None:
        """A new customer whose code is taken: the server refuses it; the agent sees why."""
        ws, window = self.ws, self.ws.main_window
        cache = ws.sync.cache
        assert cache is not None
        taken = cache.all("customer")[0].data
        ws.sync.create(
            "customer",
            {"code": taken["code"], "name": "新客户 New customer", "team_id": taken["team_id"]},
        )
        await self.until(window.refused_button.isVisible, "the refused change")
        window.refused_button.click()
        dialog = window.refused_dialog
        if dialog is None:
            raise TourError("the refused-changes dialog did not open")
        await self.shoot(dialog, "refused-changes")
        self.note(f"refused: {dialog.entries.item(0).toolTip()}")
        dialog.discard_button.click()
        await self.until(lambda: dialog.entries.count() == 0, "the discard")
        dialog.close()
        await self.until(lambda: not window.refused_button.isVisible(), "the discard")

    async def _phone_call(self) -> None:
        """A customer rings the agent's phone (a headless pjsua2 caller in its own process):
        the panel rings, the agent answers, they talk, the agent hangs up."""
        ws, window = self.ws, self.ws.main_window
        panel = ws.phone_panel
        if not ws.phone.running:
            raise TourError("the phone did not start")
        caller = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "softphone.caller",
                f"sip:agent@{ws.phone.local_address}",
                "--name",
                "王先生",
                "--number",
                "13800138000",
                "--talk-s",
                "30",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        lead_leg: subprocess.Popen[bytes] | None = None
        try:
            await self.until(panel.answer_button.isEnabled, "the phone to ring")
            customer = window.customer_panel
            # The pop first: the call line then names the caller as the CRM does.
            await self.until(lambda: customer.view is not None, "the screen pop")
            self.note(f"ringing: {panel.call_list.item(0).text()}")
            await self.shoot(window, "phone-ringing")
            self.note(
                f"call bar ringing: {window.call_bar.name_label.full_text()} · "
                f"{window.call_bar.timer_label.text()}"
            )
            await self.shoot(window.call_bar, "call-bar-ringing")
            self.note(
                f"screen pop: {customer.greeting_label.text()} · {customer.name_label.text()}"
            )
            await self.shoot(customer, "screen-pop")
            panel.answer_button.click()
            await self.until(
                lambda: ws.phone.active_call() is not None, "the answered call to connect"
            )
            await asyncio.sleep(1.2)  # let the call timer tick
            panel._refresh()
            await self.shoot(window, "phone-in-call")
            await self.shoot(window.call_bar, "call-bar-in-call")
            self.note(f"in call: {panel.call_list.item(0).text()}")
            await self._recording_state()
            await self._screens()
            await self._directory()
            form = await self._ticket_on_call()
            lead_leg = await self._monitored()
            panel.hangup_button.click()
            await self.until(lambda: not ws.phone.calls(), "the hang-up")
            self.note("hung up")
            await self.until(customer.wrap_up.isVisible, "the wrap-up")
            customer.disposition_combo.setCurrentIndex(1)
            customer.wrap_notes.setPlainText("输液泵 E-17 报警：已指导更换管路。")
            await self.shoot(window, "wrap-up")
            customer.done_button.click()
            await self.until(lambda: not customer.wrap_up.isVisible(), "the end of wrap-up")
            self.note(f"wrap-up done: {window.agent_state_button.text()}")
            await self._work_tabs(form)
            await self._playback()
        finally:
            for process in (caller, lead_leg):
                if process is None:
                    continue
                try:
                    process.wait(timeout=5)  # the desk's hang-up ended both
                except subprocess.TimeoutExpired:
                    process.kill()

    async def _recording_state(self) -> None:
        """The call bar's recording: recording, then paused by its button with the countdown
        to the automatic resume, in both languages; resumed by the same button."""
        ws, window = self.ws, self.ws.main_window
        bar = window.call_bar
        if window.recordings is None:
            stand_in = TourRecorder(ws.phone.wall_clock)
            window.attach_recordings(stand_in, auto_pause=True)
            call = ws.phone.active_call()
            if call is not None:
                stand_in.start(call.call_id)
            self.note("recording: the tour's stand-in recorder (no recorder wired in this desk)")
        status = bar.recording
        await self.until(status.can_toggle, "the call's recording")
        first = ws.language.language
        for language in (first, *(code for code in ("en", "zh_CN") if code != first)):
            ws.language.switch(language)
            await self.shoot(bar, f"call-bar-recording-{language}")
            status.button.click()
            await asyncio.sleep(1.1)  # the countdown ticks once
            bar.refresh()
            self.note(f"recording paused: {status.text()}")
            await self.shoot(bar, f"call-bar-recording-paused-{language}")
            status.button.click()
        ws.language.switch(first)

    async def _playback(self) -> None:
        """A recording from the 360's history, played with its pause and hold marked."""
        ws, window = self.ws, self.ws.main_window
        loop = asyncio.get_running_loop()
        now = ws.clock.now()
        path, meta = await loop.run_in_executor(None, sample_recording, self.out_dir, now)
        first = ws.language.language
        for language in (first, *(code for code in ("en", "zh_CN") if code != first)):
            ws.language.switch(language)
            window.show_recording(str(path), meta)
            dialog = window.recording_dialog
            assert dialog is not None
            player = dialog.player
            await self.until(lambda: player.levels is not None, "the recording's levels")  # noqa: B023
            player.seek(9_000)
            self.note(f"playback: {dialog.about_label.text()} · {dialog.player.markers()}")
            await self.shoot(dialog, f"recording-playback-{language}")
            dialog.reject()
        ws.language.switch(first)
        path.unlink(missing_ok=True)

    async def _screens(self) -> None:
        """The call on the screens centres use (1366×768 and 1920×1080 at 100 % and 150 %:
        logical pixels, as Qt lays out), in both languages, switched at run time as the
        agent would: the window keeps each size (a step that grew it fails the tour)."""
        ws, window = self.ws, self.ws.main_window
        first = ws.language.language
        was = (window.width(), window.height())
        for language in (first, *(code for code in ("en", "zh_CN") if code != first)):
            ws.language.switch(language)
            for name, (width, height) in SCREENS.items():
                window.resize(width, height)
                await settle()
                if (window.width(), window.height()) != (width, height):
                    raise TourError(
                        f"{name} in {language}: the window grew to "
                        f"{window.width()}x{window.height()}"
                    )
                await self.shoot(window, f"screen-{name}-{language}")
        ws.language.switch(first)
        window.resize(*was)
        await settle()

    async def _directory(self) -> None:
        """During the call: the colleague directory with live presence and a note typed for a
        warm transfer (not sent: the tour's caller stays with the agent)."""
        window = self.ws.main_window
        window.open_directory()
        dialog = window.directory_dialog
        assert dialog is not None
        await self.until(lambda: dialog.colleague_list.count() > 0, "the colleague directory")
        dialog.note_edit.setText("输液泵 E-17 报警，已换管路，请复核。")
        await self.shoot(dialog, "directory")
        self.note(
            f"directory: {dialog.colleague_list.count()} colleagues, "
            f"{dialog.queue_list.count()} queues"
        )
        dialog.close()

    async def _phone_restart(self) -> None:
        """The phone engine killed, as a flood or a crash would: the desk stays up and says
        the phone is restarting, and the phone comes back by itself."""
        ws, window = self.ws, self.ws.main_window
        ws.phone.kill_engine()
        await self.until(
            lambda: ws.phone.engine_state == EngineState.RESTARTING, "the phone restarting"
        )
        await self.shoot(window, "phone-restarting")
        await self.until(lambda: ws.phone.engine_state == EngineState.RUNNING, "the phone back")
        self.note(f"phone engine restarted (pid {ws.phone.engine_pid})")

    async def _phone_account(self) -> None:
        """View > Phone account, as IT opens it: domain, registrar and outbound proxy apart
        (shown, not saved)."""
        window = self.ws.main_window
        window.open_account()
        dialog = window.account_dialog
        assert dialog is not None
        await self.shoot(dialog, "phone-account")
        dialog.reject()

    async def _monitored(self) -> subprocess.Popen[bytes]:
        """The team lead listens in: the server grants it, the lead's phone (a headless
        pjsua2 leg here) dials the desk with the grant, the desk joins it to the call and the
        agent sees who listens. The leg ends with the call."""
        window = self.ws.main_window
        loop = asyncio.get_running_loop()
        grant = await loop.run_in_executor(None, lead_grant, self.server_url)
        leg = subprocess.Popen(
            [sys.executable, "-m", "softphone.caller", str(grant.agent_sip_uri),
             "--name", "张伟", "--number", "8001", "--talk-s", "60",
             "--header", f"X-AW-Monitor: {grant.token}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        await self.until(window.monitor_label.isVisible, "the monitoring indicator")
        self.note(f"monitored: {window.monitor_label.text()}")
        await self.shoot(window, "monitored-call")
        return leg

    async def _ticket_on_call(self) -> TicketForm:
        """On the call, the agent registers the service request from the 360: the number is
        there at once, to read to the caller."""
        window = self.ws.main_window
        window.customer_panel.new_ticket_button.click()
        await self.until(
            lambda: any(f.ticket_id is None for f in window.findChildren(TicketForm)),
            "the new-ticket form",
        )
        form = next(f for f in window.findChildren(TicketForm) if f.ticket_id is None)
        await self.until(lambda: form.detail is not None, "the new ticket's customer")
        form.asset_combo.setCurrentIndex(
            form.asset_combo.findText("IP-300", Qt.MatchFlag.MatchContains)
        )
        form.summary_edit.setText("输液泵 E-17 报警 / Infusion pump alarm E-17")
        form.category_combo.setCurrentIndex(form.category_combo.findData("fault"))
        form.subcategory_combo.setCurrentIndex(form.subcategory_combo.findData("fault.alarm"))
        form.priority_combo.setCurrentIndex(form.priority_combo.findData("P2"))
        form.content_edit.setPlainText("客户称夜间报警三次，已检查管路。")
        suggestions = form.suggestions
        if suggestions is not None:  # pushed from the summary and the product, unasked
            await self.until(lambda: bool(suggestions.titles()), "the suggested articles")
            self.note(f"suggested for the summary: {suggestions.titles()[0]}")
        form.save_button.click()
        await self.until(lambda: form.ticket_id is not None, "the ticket to be saved")
        await self.until(lambda: bool(form.moves_offered()), "the saved ticket's moves")
        self.note(f"ticket on the call: {form.number} ({form.status_label.text()})")
        await self.shoot(form, "ticket-form")
        return form

    async def _work_tabs(self, form: TicketForm) -> None:
        """After the call: the ticket lists, a dispatch from the ticket, the callbacks."""
        ws, window = self.ws, self.ws.main_window
        desk = ws.work_desk
        window.work_area.setCurrentWidget(desk.tickets)
        desk.tickets.set_view(View.TEAM)
        await self.until(lambda: form.number in desk.tickets.visible_numbers(), "the ticket list")
        await self.shoot(window, "tickets")
        form.dispatch_button.click()
        await self.until(lambda: bool(window.findChildren(DispatchForm)), "the dispatch form")
        dispatch = window.findChildren(DispatchForm)[-1]
        await self.until(lambda: dispatch.engineer_list.count() > 0, "the engineers")
        dispatch.choose_engineer(dispatch.engineers()[0].person.id)
        dispatch.notes_edit.setPlainText("带备用管路 / bring a spare tubing set")
        self.note(f"dispatch to {dispatch.engineers()[0].person.name}")
        await self.shoot(dispatch, "dispatch-form")
        dispatch.save_button.click()
        form.close()
        callbacks = desk.callbacks
        window.work_area.setCurrentWidget(callbacks)
        await self.until(lambda: callbacks.model.rowCount() > 0, "the callbacks")
        callbacks.select_task(callbacks.model.task(0).id)
        await self.until(lambda: callbacks.current_task is not None, "a callback")
        await self.shoot(window, "callbacks")
        window.work_area.setCurrentIndex(0)

    async def _cheat_sheet(self) -> None:
        """Help > Keyboard shortcuts (``?`` opens it too: tests/ui/test_shortcuts.py)."""
        window = self.ws.main_window
        window.cheat_sheet_action.trigger()
        await self.until(lambda: window.shortcuts_dialog is not None, "the cheat sheet")
        dialog = window.shortcuts_dialog
        assert dialog is not None
        self.note(f"cheat sheet: {dialog.table.rowCount()} rows, {dialog.windowTitle()}")
        await self.shoot(dialog, "keyboard-shortcuts")
        dialog.close()

    async def _wallboard(self) -> None:
        """Supervisor mode: the team lead 张伟 signs in on a second, headless session and
        sees the floor (today's calls of the seeded history, the forecast, alerts); a team
        message from the board appears on 王芳's desk."""
        ws, window = self.ws, self.ws.main_window
        loop = asyncio.get_running_loop()
        lead = await loop.run_in_executor(None, lead_sign_in, self.server_url)
        profile = self.out_dir / ".lead-profile"
        sync = SyncService(ws.tasks, ws.messages, profile, poll_interval_s=3600)
        settings = QSettings(str(profile / "layout.ini"), QSettings.Format.IniFormat)
        service = WallboardService(sync, ws.tasks, ws.messages, settings)
        sync.ready.connect(service.start)
        sync.start(self.server_url, lead)
        try:
            await self.until(
                lambda: service.loaded and sync.status.last_synced is not None,
                "the lead's wallboard",
            )
            # The seeded complaints are due within a day: the lead watches them that far out.
            service.set_thresholds(replace(service.thresholds, complaint_breach_s=24 * 3600))
            zh = QCoreApplication.translate("MainWindow", "Ready") != "Ready"
            panel = WallboardPanel(service, language="zh" if zh else "en")
            panel.resize(1280, 800)
            panel.show()
            await self.until(lambda: panel.work.rowCount() > 0, "the escalations list")
            board, tomorrow = service.board, service.forecast_tomorrow
            assert board is not None
            level = f"{board.service_level:.0%}" if board.service_level is not None else "-"
            error = f"{tomorrow.mape:.0%}" if tomorrow and tomorrow.mape is not None else "-"
            self.note(
                f"wallboard as {lead.user.display_name}: {board.offered} calls offered today, "
                f"service level {level}, {len(service.alert_log)} alerts; forecast tomorrow "
                f"{sum(tomorrow.intervals) if tomorrow else 0:.0f} calls (MAPE {error})"
            )
            await self.shoot(panel, "wallboard")
            service.broadcast("10:30 开短会 / short team meeting at 10:30")
            await self.until(lambda: window.team_message is not None, "the team message")
            self.note(f"team message on 王芳's desk: {window.statusBar().currentMessage()}")
            panel.close()
            panel.deleteLater()
        finally:
            service.stop()
            await loop.run_in_executor(None, sync.close_now)
            shutil.rmtree(profile, ignore_errors=True)

    async def _quality_lead(self, window: QualityWindow) -> None:
        """The lead's half of the quality step: a scorecard, one of 王芳's calls scored."""
        editor, picker, form = window.editor, window.picker, window.form
        assert editor is not None
        assert picker is not None
        assert form is not None
        editor.show_scorecard(None)
        editor.table.setRowCount(0)
        for section, item in TOUR_SCORECARD:
            editor.add_row(section, item)
        editor.name_edit.setText("热线通话质检 Hotline call")
        editor.save()
        await self.until(lambda: form.scorecard is not None, "the saved scorecard")
        picker.min_talk.setValue(60)  # a conversation, not the tour's own short call
        picker.find_calls()
        await self.until(lambda: picker.model.rowCount() > 0, "calls to score")
        row = next(i for i, c in enumerate(picker.model.rows()) if c.agent_id == self._agent_id)
        picker.choose(row)
        form.set_answer("verify", Answer.MISSED)
        form.set_answer("upsell", Answer.NA)
        form.player.seek(65_000)
        form.comment_edit.setText("未核实身份就告知了订单信息 / order details before verifying")
        form.pin_comment()
        form.player.seek(192_000)
        form.comment_edit.setText("解释清楚, 很好 / clear explanation")
        form.pin_comment()
        form.summary_edit.setPlainText("态度很好; 下次先核实身份。Friendly; verify identity first.")
        form.submit(share=True)
        await self.until(lambda: bool(form.result_label.text()), "the server's score")
        self.note(f"quality: scored call {form.call and form.call.interaction_id}: "
                  f"{form.result_label.text()}")  # fmt: skip

    async def _workforce(self) -> None:
        """Workforce planning (issue 21): ``tour_workforce.workforce_step``."""
        from agent_desktop.tour_workforce import workforce_step  # noqa: PLC0415

        lead = await asyncio.get_running_loop().run_in_executor(None, lead_sign_in, self.server_url)
        await workforce_step(self, lead, TourError)

    async def _quality(self) -> None:
        """Quality scoring (质检): the lead 张伟, on a second headless session, keeps a scorecard
        with a critical item and scores one of 王芳's calls beside the player, comments pinned
        to moments; 王芳's desk hears of it and shows the evaluation."""
        ws, window = self.ws, self.ws.main_window
        loop = asyncio.get_running_loop()
        lead = await loop.run_in_executor(None, lead_sign_in, self.server_url)
        self._agent_id = ws.sync.grant.user.id if ws.sync.grant is not None else 0
        profile = self.out_dir / ".qa-profile"
        tasks = TaskRunner()  # the lead's own desk: its own workers
        sync = SyncService(tasks, ws.messages, profile, poll_interval_s=3600)
        sync.start(self.server_url, lead)
        service = QualityService(sync, tasks)
        try:
            await self.until(lambda: sync.client_factory is not None, "the lead's session")
            listed: list[object] = []
            service.scorecards_loaded.connect(listed.append)
            qa = QualityWindow(service, ws.clock.now().date())
            qa.resize(1280, 800)
            qa.show()
            try:
                # (an answer arriving later would reset the editor being filled)
                await self.until(lambda: bool(listed), "the scorecards")
                await self._quality_lead(qa)
            except (TourError, TimeoutError) as exc:
                said = (qa.status_label.text(), qa.editor and qa.editor.problem_label.text())
                raise TourError(f"{exc}; the window says: {said}") from None
            await self.shoot(qa, "quality-scoring")
            assert qa.editor is not None
            qa.tabs.setCurrentWidget(qa.editor)
            await self.shoot(qa, "quality-scorecard")
            qa.close()
            qa.deleteLater()
            await self.until(lambda: bool(window.last_quality_notice), "the evaluation's notice")
            self.note(f"on 王芳's desk: {window.last_quality_notice}")
            mine = window.open_quality()
            assert mine is not None
            mine.resize(1280, 800)
            await self.until(lambda: mine.evaluations.model.rowCount() > 0, "my evaluations")
            mine.evaluations.table.selectRow(0)
            mine.evaluations.seek_moment(0)
            await self.shoot(mine, "quality-my-evaluation")
            mine.close()
        finally:
            await loop.run_in_executor(None, sync.close_now)
            tasks.shutdown()
            shutil.rmtree(profile, ignore_errors=True)

    async def _reports(self) -> None:
        """Reports (issue 21): the lead 张伟, on a second headless session, opens the Reports
        window over the seeded days; in each language: the window, then the first page of its
        PDF export as ``pdftoppm`` renders it (what a manager prints)."""
        ws = self.ws
        loop = asyncio.get_running_loop()
        if shutil.which("pdftoppm") is None:
            raise TourError("the reports step renders its PDF with pdftoppm: install poppler-utils")
        lead = await loop.run_in_executor(None, lead_sign_in, self.server_url)
        profile = self.out_dir / ".reports-profile"
        tasks = TaskRunner()
        sync = SyncService(tasks, ws.messages, profile, poll_interval_s=3600)
        sync.start(self.server_url, lead)
        service = ReportsService(sync, tasks, ws.clock.now)
        first = ws.language.language
        try:
            await self.until(lambda: sync.client_factory is not None, "the lead's session")
            for language in (first, *(code for code in ("en", "zh_CN") if code != first)):
                ws.language.switch(language)
                books: list[object] = []
                service.loaded.connect(books.append)
                window = ReportsWindow(service, own_name=lead.user.display_name)
                window.resize(1280, 800)
                window.show()
                await self.until(lambda: bool(books), "the reports")  # noqa: B023
                book = service.book
                assert book is not None
                traffic = book.sheets[0]
                self.note(
                    f"reports as {lead.user.display_name} ({language}): "
                    f"{traffic.totals[1] if traffic.totals else 0} calls offered, "
                    f"{sum(len(s.rows) for s in book.sheets)} rows in {len(book.sheets)} sheets"
                )
                await self.shoot(window, f"reports-{language}")
                pdf = self.out_dir / f".report-{language}.pdf"
                write_pdf(book, pdf)
                page = await loop.run_in_executor(None, render_first_page, pdf)
                self.keep(page, f"report-pdf-{language}")
                self.note(f"report PDF ({language}): {pdf.stat().st_size} bytes")
                pdf.unlink()
                window.close()
                window.deleteLater()
            ws.language.switch(first)
        finally:
            await loop.run_in_executor(None, sync.close_now)
            tasks.shutdown()
            shutil.rmtree(profile, ignore_errors=True)


def render_first_page(pdf: Path) -> Path:
    """The PDF's first page as a PNG (pdftoppm, 80 dpi), beside it (in a worker thread)."""
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
        capture_output=True,
    )
    return stem.with_suffix(".png")


# The tour's scorecard: two sections; identity verification is critical.
TOUR_SCORECARD = (
    ("开场 Opening", ScorecardItem(key="greeting", label="规范问候 Greets by script", weight=2)),
    ("开场 Opening", ScorecardItem(key="verify", label="核实身份 Verifies identity", weight=2,
                                   critical=True, allow_na=False)),
    ("解决 Resolution", ScorecardItem(key="solved", label="准确解答 Answers correctly", weight=4)),
    ("解决 Resolution", ScorecardItem(key="upsell", label="介绍服务包 Offers the plan", weight=1)),
    ("结束 Closing", ScorecardItem(key="closing", label="确认满意 Checks satisfaction", weight=1)),
)  # fmt: skip


def lead_grant(server_url: str) -> MonitorGrantOut:
    """The lead asks to listen to 王芳's call (in a worker thread); the desk's presence may
    take a moment to say "on call" on the server, so a refusal for that is asked again."""
    with ApiClient(server_url) as client:
        agent_id = client.login(DEMO_USER, DEMO_PASSWORD).user.id
    with ApiClient(server_url) as client:
        token = client.login("zhangwei", DEMO_PASSWORD).token
    deadline = time.monotonic() + STEP_TIMEOUT_S
    with ApiClient(server_url, token=token) as lead:
        while True:
            try:
                # A new key each time: a refusal is not an answer to replay.
                return lead.start_monitor(MonitorRequest(agent_id=agent_id), uuid.uuid4().hex)
            except ApiError as exc:
                if time.monotonic() > deadline:
                    raise TourError(f"the lead could not listen in: {exc}") from None
                time.sleep(0.2)


def lead_sign_in(server_url: str) -> SessionGrant:
    """The team lead's sign-in (in a worker thread)."""
    with ApiClient(server_url) as client:
        return client.login("zhangwei", DEMO_PASSWORD)


def other_desk_edits(server_url: str, scratch: Path, ticket_id: int) -> None:
    """Alice's desk, headless: pull, edit the ticket, push (runs in a worker thread)."""
    with ApiClient(server_url) as client:
        token = client.login("alice", DEMO_PASSWORD).token
    opened = open_cache(scratch / ".alice-cache.sqlite", f"{server_url}|alice")
    try:
        engine = SyncEngine(opened.cache, lambda: ApiClient(server_url, token=token))
        engine.run_once()
        opened.cache.update("ticket", ticket_id, {"summary": "Pump alarm E-17 (Alice)"}).result()
        engine.run_once()
    finally:
        opened.cache.close()
        for leftover in scratch.glob(".alice-cache.sqlite*"):
            leftover.unlink()
