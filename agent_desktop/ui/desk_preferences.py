"""This desk's side of the roaming profile: what it reads into a ``Preferences`` document and
how it applies one (services/roaming_profile.py moves the document to and from the server).

What roams: the docks' arrangement (not the window geometry: that is the PC's screens) and
the compact call bar option (not its position: the PC's screens again), the
language (unless machine policy locks it), the keys, a lead's wallboard thresholds and the
preferred audio device *names*. The PC's own device choices stay in its local settings; a
name from another seat is used here when nothing was picked on this PC, and takes effect the
next time the phone opens the headset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from agent_desktop.i18n import SUPPORTED, LanguageSwitcher, resolve_language
from agent_desktop.ui.shortcuts import SHORTCUTS, ShortcutId, portable
from sync.contract.wire import Preferences

if TYPE_CHECKING:
    from agent_desktop.services.wallboard import WallboardService
    from agent_desktop.ui.main_window import MainWindow

AUDIO_KEYS = (("playback_device", "audio/playback"), ("capture_device", "audio/capture"))


class DeskPreferences:
    def __init__(
        self,
        window: MainWindow,
        language: LanguageSwitcher,
        store: QSettings,
        wallboard: WallboardService | None = None,
    ) -> None:
        self._window = window
        self._language = language
        self._store = store
        self._wallboard = wallboard
        self.username = ""  # the signed-in user (the thresholds are kept per user)

    def collect(self) -> Preferences:
        """This desk's preferences now (on the GUI thread: a few settings reads)."""
        keys = self._window.shortcut_map.all()
        shortcuts = {
            s.id.value: portable(keys[s.id]) for s in SHORTCUTS if portable(keys[s.id]) != s.default
        }
        audio = {field: str(self._store.value(key, "") or "") for field, key in AUDIO_KEYS}
        thresholds = (
            self._wallboard.thresholds_text(self.username)
            if self._wallboard is not None and self.username
            else ""
        )
        return Preferences.read(
            {
                "language": self._language.language,
                "layout": self._window.dock_state(),
                "shortcuts": shortcuts,
                "wallboard_thresholds": thresholds,
                "compact_call_bar": self._window.compact.enabled(),
                **audio,
            }
        )

    def apply(self, prefs: Preferences) -> None:
        """Use ``prefs`` on this desk: what the profile leaves empty stays as it is here."""
        if prefs.layout:
            self._window.restore_dock_state(prefs.layout)
        if prefs.language != "auto" and not self._language.locked:
            language = resolve_language(prefs.language)
            if language in SUPPORTED:
                self._language.switch(language)
        if prefs.shortcuts:
            self._apply_shortcuts(prefs.shortcuts)
        if "compact_call_bar" in prefs.model_fields_set:  # (a 1.5 server's profile has none)
            self._window.compact.set_enabled(prefs.compact_call_bar)
        if self._wallboard is not None and self.username:
            self._wallboard.adopt_thresholds(self.username, prefs.wallboard_thresholds)
        for field, key in AUDIO_KEYS:
            name = str(getattr(prefs, field))
            if name and not self._store.value(key, ""):
                self._store.setValue(key, name)

    def _apply_shortcuts(self, saved: dict[str, str]) -> None:
        """The profile's keys; an action it does not name keeps its default. A key from a
        newer desk's action this one does not know is ignored (only known ids are read)."""
        keys: dict[ShortcutId, QKeySequence] = {}
        for shortcut in SHORTCUTS:
            text = saved.get(shortcut.id.value, shortcut.default)
            keys[shortcut.id] = QKeySequence.fromString(
                text, QKeySequence.SequenceFormat.PortableText
            )
        self._window.shortcut_map.save(keys)
        self._window.apply_shortcuts()
