"""Every text/background pair of every palette meets WCAG 2.1 AA (issue 19).

The pairs are declared beside the colours (``agent_desktop/ui/palette.py``): a new use of a
colour on a background adds its pair there, and this test holds it to 4.5:1 (3:1 where the
pair is large text or a graphic).
"""

from __future__ import annotations

import pytest

from agent_desktop.ui.palette import (
    AA_LARGE,
    AA_TEXT,
    PAIRS,
    PALETTES,
    ColourRole,
    Palette,
    contrast_ratio,
)


def test_the_formula_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # The failures the issue measured on the old hard-coded colours, on a white row.
    assert contrast_ratio("#d08a00", "#ffffff") == pytest.approx(2.87, abs=0.01)  # Not ready
    assert contrast_ratio("#2e9d4f", "#ffffff") == pytest.approx(3.47, abs=0.01)  # Ready
    assert contrast_ratio("#8c8c8c", "#ffffff") == pytest.approx(3.36, abs=0.01)  # Logged out
    assert contrast_ratio("#e65100", "#ffffff") == pytest.approx(3.79, abs=0.01)  # SLA due


@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_every_palette_names_every_role(palette: Palette) -> None:
    assert set(palette.colours) == set(ColourRole)


@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_every_pair_meets_aa(palette: Palette) -> None:
    failing = [
        f"{pair.where}: {palette[pair.fg]} on {palette[pair.bg]} "
        f"{contrast_ratio(palette[pair.fg], palette[pair.bg]):.2f}:1 < {pair.floor}:1"
        for pair in PAIRS
        if contrast_ratio(palette[pair.fg], palette[pair.bg]) < pair.floor
    ]
    assert not failing, "\n".join(failing)


def test_the_pairs_cover_the_states_the_issue_named() -> None:
    """Wallboard states, SLA due and the selected KB row's details are all checked."""
    text_on_base = {pair.fg for pair in PAIRS if pair.bg is ColourRole.BASE and not pair.large}
    for role in (
        ColourRole.READY,
        ColourRole.NOT_READY,
        ColourRole.TALKING,
        ColourRole.WRAP_UP,
        ColourRole.LOGGED_OUT,
        ColourRole.LOST_CONTACT,
        ColourRole.SLA_DUE,
        ColourRole.SLA_BREACHED,
        ColourRole.ERROR,
        ColourRole.WARNING,
        ColourRole.SUCCESS,
    ):
        assert role in text_on_base, role
    assert any(p.fg is ColourRole.HIGHLIGHTED_MUTED and p.bg is ColourRole.HIGHLIGHT for p in PAIRS)
    assert {pair.floor for pair in PAIRS} == {AA_TEXT, AA_LARGE}
