"""Which palette is on, and putting it on: the application's QPalette, one application style
sheet that gives every toned widget its colour, and the answer to "what colour is this role
now" for item models and rich text.

The choice (View > Colours) is Follow system, Light, Dark or High contrast, kept in the
profile's layout store. Follow system reads Qt's colour scheme and contrast preference
(``QStyleHints.colorScheme``, ``QAccessibilityHints.contrastPreference``) and follows them
when they change. Switching restyles what is open: the style sheet re-polishes every widget,
the new QPalette sends every widget a PaletteChange (widgets drawing rich text re-render on
it), and item models read the role at paint time.

Widgets never write a colour: they set a *tone* (``set_tone(label, ColourRole.ERROR)``),
which the application style sheet colours; models and rich text ask ``colour(role)`` and
``css(role)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from agent_desktop.ui.palette import PALETTES, TEXT_TONES, ColourRole, Palette

log = logging.getLogger(__name__)

FOLLOW_SYSTEM = "auto"
CHOICES = (FOLLOW_SYSTEM, "light", "dark", "high_contrast")
SETTING_KEY = "view/palette"
# The active palette's name lives on the QApplication, like its QPalette: models' data() and
# delegates run at paint time with no path to the composition root, and one app has one look.
_APP_PROPERTY = "agentPalette"
TONE_PROPERTY = "tone"


def active_palette() -> Palette:
    app = QCoreApplication.instance()
    name = app.property(_APP_PROPERTY) if app is not None else None
    return PALETTES.get(str(name), PALETTES["light"])


def colour(role: ColourRole) -> QColor:
    return QColor(active_palette()[role])


def css(role: ColourRole) -> str:
    """The role's colour for a style attribute in rich text (``<span style='color:…'>``)."""
    return active_palette()[role]


def set_tone(widget: QWidget, tone: ColourRole | str | None, strong: bool = False) -> None:
    """Colour ``widget``'s text by role (or a banner/action tone); None for the plain text.
    Re-polished at once, so a label that changes state (online → offline) changes colour."""
    value = "" if tone is None else (str(tone) + ("_strong" if strong else ""))
    if widget.property(TONE_PROPERTY) == value:
        return
    widget.setProperty(TONE_PROPERTY, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def style_sheet(palette: Palette) -> str:
    """The application style sheet: one rule per tone, nothing else (the widgets' own sheets
    keep their fonts and padding)."""
    rules = []
    for role in TEXT_TONES:
        rules.append(f'*[tone="{role}"] {{ color: {palette[role]}; }}')
        rules.append(f'*[tone="{role}_strong"] {{ color: {palette[role]}; font-weight: bold; }}')
    rules += [
        f'*[tone="notice"] {{ background: {palette[ColourRole.NOTICE_BACKGROUND]};'
        f" color: {palette[ColourRole.NOTICE_TEXT]}; padding: 4px; }}",
        f'*[tone="field_error"] {{ border: 2px solid {palette[ColourRole.ERROR]}; }}',
        f'QPushButton[tone="action"] {{ background: {palette[ColourRole.ACTION]};'
        f" color: {palette[ColourRole.ACTION_TEXT]}; font-weight: bold; padding: 6px 14px;"
        " border-radius: 4px; }",
        'QPushButton[tone="action"]:disabled { background: palette(midlight);'
        " color: palette(dark); }",
        f'QPushButton[tone="link"] {{ color: {palette[ColourRole.LINK]};'
        " text-decoration: underline; text-align: left; border: none; padding: 0; }",
    ]
    if palette.outlined:
        edge, focus = palette[ColourRole.GRID], palette[ColourRole.HIGHLIGHT]
        off = palette[ColourRole.DISABLED_TEXT]
        rules += [
            "QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,"
            f" QAbstractItemView, QPushButton, QToolButton {{ border: 1px solid {edge}; }}",
            "QPushButton, QToolButton { padding: 3px 8px; }",
            f"QPushButton:disabled, QToolButton:disabled {{ border: 1px dashed {off}; }}",
            "QLineEdit:focus, QComboBox:focus, QAbstractSpinBox:focus, QPlainTextEdit:focus,"
            " QTextEdit:focus, QAbstractItemView:focus, QPushButton:focus, QToolButton:focus"
            f" {{ border: 2px solid {focus}; }}",
        ]
    return "\n".join(rules)


def qt_palette(palette: Palette) -> QPalette:
    """The QPalette every widget inherits: frames, tables, selections, tooltips."""
    group, role = QPalette.ColorGroup, QPalette.ColorRole
    result = QPalette()
    button = QColor(palette[ColourRole.BUTTON])
    settings = {
        role.Window: palette[ColourRole.WINDOW],
        role.WindowText: palette[ColourRole.TEXT],
        role.Base: palette[ColourRole.BASE],
        role.AlternateBase: palette[ColourRole.ALT_BASE],
        role.Text: palette[ColourRole.TEXT],
        role.Button: palette[ColourRole.BUTTON],
        role.ButtonText: palette[ColourRole.TEXT],
        role.BrightText: palette[ColourRole.HIGHLIGHTED_TEXT],
        role.Highlight: palette[ColourRole.HIGHLIGHT],
        role.HighlightedText: palette[ColourRole.HIGHLIGHTED_TEXT],
        role.Link: palette[ColourRole.LINK],
        role.LinkVisited: palette[ColourRole.LINK],
        role.PlaceholderText: palette[ColourRole.MUTED],
        role.ToolTipBase: palette[ColourRole.BASE],
        role.ToolTipText: palette[ColourRole.TEXT],
        role.Mid: palette[ColourRole.GRID],
    }
    for which, value in settings.items():
        result.setColor(which, QColor(value))
    # Fusion draws bevels from these; derived from the button so a dark palette stays dark.
    result.setColor(role.Light, button.lighter(160 if palette.dark else 150))
    result.setColor(role.Midlight, button.lighter(130 if palette.dark else 115))
    result.setColor(role.Dark, button.darker(160 if palette.dark else 200))
    result.setColor(role.Shadow, QColor("#000000"))
    # Disabled text is exempt from AA (SC 1.4.3) but must still read as text, not vanish.
    disabled = QColor(palette[ColourRole.DISABLED_TEXT])
    for which in (role.Text, role.WindowText, role.ButtonText):
        result.setColor(group.Disabled, which, disabled)
    result.setColor(group.Disabled, role.Highlight, QColor(palette[ColourRole.GRID]))
    return result


def system_palette_name() -> str:
    """What Follow system means now: high contrast if the system asks for it, else the
    system's dark or light scheme (light when Qt cannot tell)."""
    hints = QGuiApplication.styleHints()
    contrast = hints.accessibility().contrastPreference()
    if contrast == Qt.ContrastPreference.HighContrast:
        return "high_contrast"
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


class Appearance(QObject):
    """The palette choice and its application to one QApplication."""

    changed = Signal(str)  # the palette now on: light, dark or high_contrast

    def __init__(
        self,
        app: QApplication,
        store: QSettings,
        forced: str | None = None,
        parent: QObject | None = None,
        system: Callable[[], str] = system_palette_name,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._store = store
        self._system = system
        stored = str(store.value(SETTING_KEY, FOLLOW_SYSTEM))
        # --palette wins for this run (the tour, a test) and is not saved.
        self._choice = forced if forced in CHOICES else (stored if stored in CHOICES else "auto")
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self.system_changed)
        hints.accessibility().contrastPreferenceChanged.connect(self.system_changed)
        self._apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def palette(self) -> Palette:
        return active_palette()

    def choose(self, choice: str) -> None:
        if choice not in CHOICES:
            raise ValueError(f"unknown palette {choice!r}; one of {', '.join(CHOICES)}")
        self._choice = choice
        self._store.setValue(SETTING_KEY, choice)
        self._apply()

    def system_changed(self, *_args: object) -> None:
        """The system's colour scheme or contrast preference changed (Qt's signals)."""
        if self._choice == FOLLOW_SYSTEM:
            self._apply()

    def _apply(self) -> None:
        name = self._system() if self._choice == FOLLOW_SYSTEM else self._choice
        palette = PALETTES[name]
        if self._app.property(_APP_PROPERTY) == name:
            return
        # The name first: widgets re-rendering rich text on PaletteChange ask for it.
        self._app.setProperty(_APP_PROPERTY, name)
        self._app.setStyleSheet(style_sheet(palette))
        self._app.setPalette(qt_palette(palette))
        log.info("palette: %s (choice %s)", name, self._choice)
        self.changed.emit(name)
