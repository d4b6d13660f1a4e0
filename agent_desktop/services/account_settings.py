"""The phone account's addressing as the agent's PC keeps it: domain, registrar, outbound proxy,
transport and the SIP trace's level, written to the per-user configuration file (off the GUI
thread). The phone uses them from the next start of the app; the password stays in the
keychain (agent_desktop.services.phone_setup)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from agent_desktop.config import KEYS, USER_FILE, Origin, Settings, write_user_layer
from agent_desktop.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class PhoneAccount:
    """What the Phone account dialog edits (``[phone]`` keys of the configuration)."""

    domain: str
    registrar: str
    outbound_proxy: str
    transport: str
    sip_log_level: str

    @staticmethod
    def of(settings: Settings) -> PhoneAccount:
        s = settings
        return PhoneAccount(
            s.sip_domain, s.sip_registrar, s.sip_outbound_proxy, s.sip_transport, s.sip_log_level
        )

    def keys(self) -> dict[str, str]:
        """The configuration file's dotted keys and values."""
        return {
            "phone.domain": self.domain,
            "phone.registrar": self.registrar,
            "phone.outbound_proxy": self.outbound_proxy,
            "phone.transport": self.transport,
            "phone.sip_log_level": self.sip_log_level,
        }

    def applied_to(self, settings: Settings) -> Settings:
        return replace(
            settings,
            sip_domain=self.domain,
            sip_registrar=self.registrar,
            sip_outbound_proxy=self.outbound_proxy,
            sip_transport=self.transport,
            sip_log_level=self.sip_log_level,
        )


class AccountSettings(QObject):
    """``saved`` or ``failed(reason)`` on the GUI thread after ``save``."""

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        path: Path,
        settings: Settings,
        parent: QObject | None = None,
        origins: Mapping[str, Origin] | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.path = path
        self.settings = settings  # as loaded, then as saved
        # Where each setting came from, as loaded, then as saved: what the agent saves here
        # comes from the user file now (the diagnostics must not name the old layer).
        self.origins: dict[str, Origin] = dict(origins or {})

    @property
    def account(self) -> PhoneAccount:
        return PhoneAccount.of(self.settings)

    def save(self, account: PhoneAccount) -> None:
        def done(_result: None) -> None:
            self.settings = account.applied_to(self.settings)
            if self.origins:  # none recorded: settings made in code, not by the loader
                self.origins.update(
                    (KEYS[key].attr, Origin(USER_FILE, str(self.path))) for key in changes
                )
            self.saved.emit()

        # What the machine policy locks is not the agent's to keep: were it written, it would
        # outlive the lock in the agent's file.
        changes = {
            key: value
            for key, value in account.keys().items()
            if KEYS[key].attr not in self.settings.locked
        }
        self._tasks.run_blocking(
            lambda: write_user_layer(self.path, changes),
            done,
            lambda error: self.failed.emit(str(error)),
        )
