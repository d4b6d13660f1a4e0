"""The palette at run time (issue 19): View > Colours switches light, dark and high contrast
on open windows, Follow system follows the system's scheme, the choice is kept in the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.ui.appearance import SETTING_KEY, Appearance, active_palette, colour, set_tone
from agent_desktop.ui.palette import DARK, HIGH_CONTRAST, LIGHT, ColourRole
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from tests.fakes.customers import FakePhone, popped
from tests.ui.conftest import LiveDesk


def qapp() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def text_colour(label: QLabel) -> str:
    return label.palette().color(QPalette.ColorRole.WindowText).name()


def test_switching_restyles_open_widgets_and_is_kept(
    qtbot: QtBot, tmp_path: Path, app_look: None
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    appearance = Appearance(qapp(), store, system=lambda: "light")
    label = QLabel("● Offline")
    qtbot.addWidget(label)
    set_tone(label, ColourRole.ERROR)
    label.show()
    assert text_colour(label) == LIGHT[ColourRole.ERROR]
    for palette in (DARK, HIGH_CONTRAST, LIGHT):
        with qtbot.waitSignal(appearance.changed):
            appearance.choose(palette.name)
        assert active_palette() is palette
        assert qapp().palette().color(QPalette.ColorRole.Base).name() == palette[ColourRole.BASE]
        qtbot.waitUntil(lambda p=palette: text_colour(label) == p[ColourRole.ERROR])  # type: ignore[misc]
    # A status that changes state changes colour at once.
    set_tone(label, ColourRole.SUCCESS)
    assert text_colour(label) == LIGHT[ColourRole.SUCCESS]
    appearance.choose("dark")
    assert store.value(SETTING_KEY) == "dark"
    again = Appearance(qapp(), store, system=lambda: "light")  # the next start
    assert again.choice == "dark"
    assert Appearance(qapp(), store, forced="high_contrast").choice == "high_contrast"
    assert store.value(SETTING_KEY) == "dark", "--palette is for one run"


def test_follow_system_follows_the_scheme_and_the_contrast_preference(
    qtbot: QtBot, tmp_path: Path, app_look: None
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    system = ["light"]
    appearance = Appearance(qapp(), store, system=lambda: system[0])
    assert appearance.choice == "auto"
    assert active_palette() is LIGHT
    for scheme, palette in (("dark", DARK), ("high_contrast", HIGH_CONTRAST), ("light", LIGHT)):
        system[0] = scheme
        appearance.system_changed()  # what QStyleHints' signals call
        assert active_palette() is palette
    appearance.choose("dark")
    system[0] = "light"
    appearance.system_changed()
    assert active_palette() is DARK, "a chosen palette stays whatever the system does"


def test_the_customers_chips_are_redrawn_and_read_as_words(
    qtbot: QtBot,
    desk: tuple[FakePhone, CustomerPanel, ScreenPopService],
    tmp_path: Path,
    app_look: None,
) -> None:
    phone, panel, service = desk
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    appearance = Appearance(qapp(), store, forced="light")
    popped(qtbot, service, "13800138000", phone)
    assert LIGHT[ColourRole.CHIP_VIP] in panel.flags_label.text()
    appearance.choose("high_contrast")
    qtbot.waitUntil(lambda: HIGH_CONTRAST[ColourRole.CHIP_VIP] in panel.flags_label.text())
    name = panel.flags_label.accessibleName()
    assert name.startswith("Customer flags: VIP; ")
    assert "<" not in name
    assert "#" not in name


def test_view_colours_switches_the_live_desk(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], layout_store: QSettings, app_look: None
) -> None:
    rig, _phone, _agent = make_live_desk()
    window = rig.window
    window.attach_appearance(Appearance(qapp(), layout_store, system=lambda: "light"))
    actions = window.colours_menu.choices
    assert actions["auto"].isChecked()
    assert window.colours_menu.menuAction() in window.view_menu.actions()
    actions["dark"].trigger()
    assert actions["dark"].isChecked()
    label = window.connection_label
    qtbot.waitUntil(lambda: text_colour(label) == DARK[ColourRole.SUCCESS])  # "● Online"
    assert colour(ColourRole.READY).name() == DARK[ColourRole.READY]
    assert layout_store.value(SETTING_KEY) == "dark"
