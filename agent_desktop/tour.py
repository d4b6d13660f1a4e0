"""The headless tour: drive the real app through its main screens and photograph each one.

``agent-desktop --demo --offscreen --tour OUTDIR`` writes ``NN-name.png`` per screen and
``tour.log``. Each step uses the same widgets and services a user would; a step that cannot
complete fails the tour (exit code 1) and says which.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QWidget

from agent_desktop.demo_backend import DEMO_PASSWORD, DEMO_USER

if TYPE_CHECKING:
    from agent_desktop.app import Workstation

log = logging.getLogger(__name__)
STEP_TIMEOUT_S = 20.0


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
        await self.shoot(window, "main-window")

        for index, name in ((1, "dispatch-tab"), (2, "knowledge-base-tab")):
            window.work_area.setCurrentIndex(index)
            await self.shoot(window, name)
        window.work_area.setCurrentIndex(0)

        view_menu = window.view_menu
        view_menu.popup(window.mapToGlobal(window.rect().topLeft()))
        await settle()
        await self.shoot(view_menu, "view-menu")
        view_menu.close()
