"""The desk's colours: named roles, three palettes (light, dark, high contrast) and the pairs
of roles that are drawn on each other, with the WCAG 2.1 contrast each pair must meet.

Every colour the desk draws comes from a role here; widgets ask for a role, never a hex value
(``ui/appearance.py`` applies a palette to the application and tells widgets which one is on).
This module has no Qt so the contrast check runs as a plain unit test
(``tests/unit/test_palette_contrast.py``): a colour change that breaks AA fails there, not in
a screenshot review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

AA_TEXT = 4.5  # WCAG 2.1 SC 1.4.3, normal text
AA_LARGE = 3.0  # SC 1.4.3, large text (18 pt, or 14 pt bold) - and SC 1.4.11, graphics


class ColourRole(StrEnum):
    """What a colour is for. The names are the domain's, not the hue's."""

    # The frame every widget inherits (QPalette is built from these).
    WINDOW = "window"
    BASE = "base"
    ALT_BASE = "alt_base"
    TEXT = "text"
    MUTED = "muted"  # secondary text: counts, hints, "last synced", empty-list notes
    BUTTON = "button"
    HIGHLIGHT = "highlight"  # the selected row
    HIGHLIGHTED_TEXT = "highlighted_text"
    HIGHLIGHTED_MUTED = "highlighted_muted"  # secondary text inside a selected row (KB details)
    LINK = "link"
    GRID = "grid"  # table grid, chart axes, the day view's hour lines, outlines
    DISABLED_TEXT = "disabled_text"  # exempt from AA (SC 1.4.3), but must differ from enabled
    # Messages.
    ERROR = "error"
    WARNING = "warning"
    SUCCESS = "success"
    INFO = "info"  # in progress: syncing, registering
    PENDING = "pending"  # waiting to be sent, recurring issue
    # Agent states (wallboard, directory, status bar).
    READY = "ready"
    NOT_READY = "not_ready"
    TALKING = "talking"
    WRAP_UP = "wrap_up"
    LOGGED_OUT = "logged_out"
    LOST_CONTACT = "lost_contact"
    # Service levels.
    SLA_DUE = "sla_due"
    SLA_BREACHED = "sla_breached"
    # Rows and banners with a background of their own.
    ALERT_BACKGROUND = "alert_background"  # a wallboard row over its limit, an overdue task
    NOTICE_BACKGROUND = "notice_background"  # "showing the cached copy", the call's note
    NOTICE_TEXT = "notice_text"
    FIELD_ERROR_BACKGROUND = "field_error_background"  # a refused cell in the profile editor
    # The customer's flags, drawn as chips (text on a coloured background).
    CHIP_TEXT = "chip_text"
    CHIP_VIP = "chip_vip"
    CHIP_COMPLAINT = "chip_complaint"
    CHIP_SLA_BREACHED = "chip_sla_breached"
    CHIP_SLA_DUE = "chip_sla_due"
    CHIP_WARRANTY = "chip_warranty"
    CHIP_REPEAT = "chip_repeat"
    # The one call-to-action button (Call back now).
    ACTION = "action"
    ACTION_TEXT = "action_text"
    # Charts and the day view: lines and fills, not text.
    CHART_CALLS = "chart_calls"
    CHART_FORECAST = "chart_forecast"
    CHART_LEVEL = "chart_level"
    CHART_TARGET = "chart_target"
    VISIT_OPEN_FILL = "visit_open_fill"
    VISIT_OPEN_EDGE = "visit_open_edge"
    VISIT_DONE_FILL = "visit_done_fill"
    VISIT_DONE_EDGE = "visit_done_edge"


@dataclass(frozen=True, slots=True)
class Palette:
    name: str  # the setting's value: light, dark, high_contrast
    dark: bool  # a dark background (charts and icons that pick a variant)
    colours: Mapping[ColourRole, str]  # "#rrggbb"
    # Draw every control's outline in GRID: Fusion's bevels are shades of the window colour,
    # which on pure black are black, so fields and buttons would have no visible edge.
    outlined: bool = False

    def __getitem__(self, role: ColourRole) -> str:
        return self.colours[role]


@dataclass(frozen=True, slots=True)
class Pair:
    """A foreground role drawn on a background role, somewhere in the desk."""

    fg: ColourRole
    bg: ColourRole
    where: str  # the place, for the failure message
    large: bool = False  # large text, or a graphic (SC 1.4.11): 3:1 is the floor

    @property
    def floor(self) -> float:
        return AA_LARGE if self.large else AA_TEXT


# Text roles a widget can take as its tone (ui.appearance; "<role>_strong" adds bold). One
# list for both: a tone added here is a pair the contrast test checks.
TEXT_TONES: tuple[ColourRole, ...] = (
    ColourRole.MUTED,
    ColourRole.ERROR,
    ColourRole.WARNING,
    ColourRole.SUCCESS,
    ColourRole.INFO,
    ColourRole.PENDING,
    ColourRole.READY,
    ColourRole.NOT_READY,
    ColourRole.TALKING,
    ColourRole.WRAP_UP,
    ColourRole.LOGGED_OUT,
    ColourRole.LOST_CONTACT,
    ColourRole.SLA_DUE,
    ColourRole.SLA_BREACHED,
    ColourRole.LINK,
)


def _messages_on(bg: ColourRole) -> tuple[Pair, ...]:
    """Status and message text appears on windows, on list/table bases and alternate rows."""
    return tuple(
        Pair(fg, bg, f"{fg.value} text on {bg.value}") for fg in (ColourRole.TEXT, *TEXT_TONES)
    )


# Every pair the desk draws. A new colour use adds its pair here, and the test checks it.
PAIRS: tuple[Pair, ...] = (
    *_messages_on(ColourRole.WINDOW),
    *_messages_on(ColourRole.BASE),
    *_messages_on(ColourRole.ALT_BASE),
    *_messages_on(ColourRole.BUTTON),  # the status bar's state and conflict buttons
    Pair(ColourRole.HIGHLIGHTED_TEXT, ColourRole.HIGHLIGHT, "a selected row"),
    Pair(ColourRole.HIGHLIGHTED_MUTED, ColourRole.HIGHLIGHT, "a selected KB hit's details"),
    # Wallboard and task rows over their limit: the row's text, the state, the alert text.
    *(
        Pair(fg, ColourRole.ALERT_BACKGROUND, f"{fg.value} on an alert row")
        for fg in (
            ColourRole.TEXT,
            ColourRole.ERROR,
            ColourRole.SUCCESS,
            ColourRole.PENDING,
            ColourRole.NOT_READY,
            ColourRole.READY,
            ColourRole.TALKING,
            ColourRole.WRAP_UP,
            ColourRole.LOGGED_OUT,
            ColourRole.LOST_CONTACT,
        )
    ),
    Pair(
        ColourRole.NOTICE_TEXT,
        ColourRole.NOTICE_BACKGROUND,
        "the cached-copy banner, the call's note",
    ),
    Pair(
        ColourRole.TEXT, ColourRole.FIELD_ERROR_BACKGROUND, "a refused cell in the profile editor"
    ),
    *(
        Pair(ColourRole.CHIP_TEXT, chip, f"the {chip.value} chip")
        for chip in (
            ColourRole.CHIP_VIP,
            ColourRole.CHIP_COMPLAINT,
            ColourRole.CHIP_SLA_BREACHED,
            ColourRole.CHIP_SLA_DUE,
            ColourRole.CHIP_WARRANTY,
            ColourRole.CHIP_REPEAT,
        )
    ),
    Pair(ColourRole.ACTION_TEXT, ColourRole.ACTION, "the Call back now button"),
    # Graphics against the chart's and the day view's background (SC 1.4.11: 3:1).
    *(
        Pair(graphic, ColourRole.BASE, f"the {graphic.value} line", large=True)
        for graphic in (
            ColourRole.CHART_CALLS,
            ColourRole.CHART_FORECAST,
            ColourRole.CHART_LEVEL,
            ColourRole.CHART_TARGET,
            ColourRole.VISIT_OPEN_EDGE,
            ColourRole.VISIT_DONE_EDGE,
            ColourRole.ERROR,
        )
    ),
    Pair(ColourRole.TEXT, ColourRole.VISIT_OPEN_FILL, "a planned visit's label"),
    Pair(ColourRole.TEXT, ColourRole.VISIT_DONE_FILL, "a done visit's label"),
)


LIGHT = Palette(
    "light",
    dark=False,
    colours={
        ColourRole.WINDOW: "#efefef",
        ColourRole.BASE: "#ffffff",
        ColourRole.ALT_BASE: "#f5f5f5",
        ColourRole.TEXT: "#1a1a1a",
        ColourRole.MUTED: "#595959",
        ColourRole.BUTTON: "#efefef",
        ColourRole.HIGHLIGHT: "#2a5db0",
        ColourRole.HIGHLIGHTED_TEXT: "#ffffff",
        ColourRole.HIGHLIGHTED_MUTED: "#e3ebf8",
        ColourRole.LINK: "#1a55b0",
        ColourRole.GRID: "#8c8c8c",
        ColourRole.DISABLED_TEXT: "#9a9a9a",
        ColourRole.ERROR: "#b00020",
        ColourRole.WARNING: "#8a4b00",
        ColourRole.SUCCESS: "#1b6e35",
        ColourRole.INFO: "#1f58b3",
        ColourRole.PENDING: "#765c00",
        ColourRole.READY: "#1b6e35",
        ColourRole.NOT_READY: "#8a4b00",
        ColourRole.TALKING: "#1f58b3",
        ColourRole.WRAP_UP: "#6a3fb0",
        ColourRole.LOGGED_OUT: "#5e5e5e",
        ColourRole.LOST_CONTACT: "#b00020",
        ColourRole.SLA_DUE: "#a53d00",
        ColourRole.SLA_BREACHED: "#b00020",
        ColourRole.ALERT_BACKGROUND: "#fde8e7",
        ColourRole.NOTICE_BACKGROUND: "#fff4ce",
        ColourRole.NOTICE_TEXT: "#5c4400",
        ColourRole.FIELD_ERROR_BACKGROUND: "#fde7e9",
        ColourRole.CHIP_TEXT: "#ffffff",
        ColourRole.CHIP_VIP: "#7b1fa2",
        ColourRole.CHIP_COMPLAINT: "#b00020",
        ColourRole.CHIP_SLA_BREACHED: "#b00020",
        ColourRole.CHIP_SLA_DUE: "#a53d00",
        ColourRole.CHIP_WARRANTY: "#5d4037",
        ColourRole.CHIP_REPEAT: "#1565c0",
        ColourRole.ACTION: "#1b6e35",
        ColourRole.ACTION_TEXT: "#ffffff",
        ColourRole.CHART_CALLS: "#4a7fcf",
        ColourRole.CHART_FORECAST: "#c9302c",
        ColourRole.CHART_LEVEL: "#2a8545",
        ColourRole.CHART_TARGET: "#757575",
        ColourRole.VISIT_OPEN_FILL: "#dbe8fb",
        ColourRole.VISIT_OPEN_EDGE: "#2f6fce",
        ColourRole.VISIT_DONE_FILL: "#e6e6e6",
        ColourRole.VISIT_DONE_EDGE: "#757575",
    },
)

DARK = Palette(
    "dark",
    dark=True,
    colours={
        ColourRole.WINDOW: "#2b2b2e",
        ColourRole.BASE: "#1e1e20",
        ColourRole.ALT_BASE: "#262629",
        ColourRole.TEXT: "#e8e8e8",
        ColourRole.MUTED: "#a9a9ad",
        ColourRole.BUTTON: "#3a3a3e",
        ColourRole.HIGHLIGHT: "#2f5a9e",
        ColourRole.HIGHLIGHTED_TEXT: "#ffffff",
        ColourRole.HIGHLIGHTED_MUTED: "#dbe6f7",
        ColourRole.LINK: "#8ab4f8",
        ColourRole.GRID: "#76767b",
        ColourRole.DISABLED_TEXT: "#707075",
        ColourRole.ERROR: "#ff8a80",
        ColourRole.WARNING: "#ffb74d",
        ColourRole.SUCCESS: "#7bd88f",
        ColourRole.INFO: "#8ab4f8",
        ColourRole.PENDING: "#e6c75a",
        ColourRole.READY: "#7bd88f",
        ColourRole.NOT_READY: "#ffb74d",
        ColourRole.TALKING: "#8ab4f8",
        ColourRole.WRAP_UP: "#c9a6ff",
        ColourRole.LOGGED_OUT: "#b0b0b4",
        ColourRole.LOST_CONTACT: "#ff8a80",
        ColourRole.SLA_DUE: "#ffab70",
        ColourRole.SLA_BREACHED: "#ff8a80",
        ColourRole.ALERT_BACKGROUND: "#3d1f22",
        ColourRole.NOTICE_BACKGROUND: "#3d3418",
        ColourRole.NOTICE_TEXT: "#ffe8a3",
        ColourRole.FIELD_ERROR_BACKGROUND: "#4a1f24",
        ColourRole.CHIP_TEXT: "#ffffff",
        ColourRole.CHIP_VIP: "#7b1fa2",
        ColourRole.CHIP_COMPLAINT: "#a1001d",
        ColourRole.CHIP_SLA_BREACHED: "#a1001d",
        ColourRole.CHIP_SLA_DUE: "#9a3900",
        ColourRole.CHIP_WARRANTY: "#5d4037",
        ColourRole.CHIP_REPEAT: "#1557b0",
        ColourRole.ACTION: "#1b6e35",
        ColourRole.ACTION_TEXT: "#ffffff",
        ColourRole.CHART_CALLS: "#6f9fe6",
        ColourRole.CHART_FORECAST: "#ff8a80",
        ColourRole.CHART_LEVEL: "#7bd88f",
        ColourRole.CHART_TARGET: "#9e9ea3",
        ColourRole.VISIT_OPEN_FILL: "#23395c",
        ColourRole.VISIT_OPEN_EDGE: "#6f9fe6",
        ColourRole.VISIT_DONE_FILL: "#3a3a3e",
        ColourRole.VISIT_DONE_EDGE: "#9e9ea3",
    },
)

# Black and white first; colour only where it carries meaning, and bright enough for 7:1 on
# black where it can (AAA for the status text a lead reads across the room).
HIGH_CONTRAST = Palette(
    "high_contrast",
    dark=True,
    outlined=True,
    colours={
        ColourRole.WINDOW: "#000000",
        ColourRole.BASE: "#000000",
        ColourRole.ALT_BASE: "#141414",
        ColourRole.TEXT: "#ffffff",
        ColourRole.MUTED: "#d6d6d6",
        ColourRole.BUTTON: "#000000",
        ColourRole.HIGHLIGHT: "#ffff00",
        ColourRole.HIGHLIGHTED_TEXT: "#000000",
        ColourRole.HIGHLIGHTED_MUTED: "#1a1a1a",
        ColourRole.LINK: "#ffff00",
        ColourRole.GRID: "#ffffff",
        ColourRole.DISABLED_TEXT: "#8c8c8c",
        ColourRole.ERROR: "#ff8080",
        ColourRole.WARNING: "#ffd24d",
        ColourRole.SUCCESS: "#5cff8a",
        ColourRole.INFO: "#80d4ff",
        ColourRole.PENDING: "#ffe680",
        ColourRole.READY: "#5cff8a",
        ColourRole.NOT_READY: "#ffd24d",
        ColourRole.TALKING: "#80d4ff",
        ColourRole.WRAP_UP: "#e0b3ff",
        ColourRole.LOGGED_OUT: "#d6d6d6",
        ColourRole.LOST_CONTACT: "#ff8080",
        ColourRole.SLA_DUE: "#ffb366",
        ColourRole.SLA_BREACHED: "#ff8080",
        ColourRole.ALERT_BACKGROUND: "#3a0000",
        ColourRole.NOTICE_BACKGROUND: "#000000",
        ColourRole.NOTICE_TEXT: "#ffff00",
        ColourRole.FIELD_ERROR_BACKGROUND: "#3a0000",
        ColourRole.CHIP_TEXT: "#000000",
        ColourRole.CHIP_VIP: "#e0b3ff",
        ColourRole.CHIP_COMPLAINT: "#ff8080",
        ColourRole.CHIP_SLA_BREACHED: "#ff8080",
        ColourRole.CHIP_SLA_DUE: "#ffb366",
        ColourRole.CHIP_WARRANTY: "#d6d6d6",
        ColourRole.CHIP_REPEAT: "#80d4ff",
        ColourRole.ACTION: "#ffff00",
        ColourRole.ACTION_TEXT: "#000000",
        ColourRole.CHART_CALLS: "#80d4ff",
        ColourRole.CHART_FORECAST: "#ff8080",
        ColourRole.CHART_LEVEL: "#5cff8a",
        ColourRole.CHART_TARGET: "#ffffff",
        ColourRole.VISIT_OPEN_FILL: "#00264d",
        ColourRole.VISIT_OPEN_EDGE: "#80d4ff",
        ColourRole.VISIT_DONE_FILL: "#262626",
        ColourRole.VISIT_DONE_EDGE: "#ffffff",
    },
)

PALETTES: Mapping[str, Palette] = {p.name: p for p in (LIGHT, DARK, HIGH_CONTRAST)}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB ``#rrggbb`` colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio, 1 to 21, whichever colour is lighter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
