"""The Chinese translation is complete, current with the sources, and its placeholders match."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from agent_desktop.i18n import TRANSLATIONS_DIR, resolve_language

TS = TRANSLATIONS_DIR / "agent_desktop_zh_CN.ts"
SOURCES = sorted(str(p) for p in (TRANSLATIONS_DIR.parent / "agent_desktop").rglob("*.py"))


def messages(ts: Path) -> list[tuple[str, str, str | None, str | None]]:
    rows = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            # A plural ("%n evaluation(s)") keeps its text in <numerusform>s: the first one.
            text = translation.findtext("numerusform") or translation.text
            rows.append((name, message.findtext("source", ""), text, translation.get("type")))
    return rows


def test_every_string_is_translated() -> None:
    untranslated = [src for _ctx, src, text, kind in messages(TS) if not text or kind]
    assert untranslated == []


def test_placeholders_match() -> None:
    for _ctx, source, text, _kind in messages(TS):
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", text or "")), source


def test_accelerators_survive_translation() -> None:
    for _ctx, source, text, _kind in messages(TS):
        if re.search(r"&\w", source):
            assert re.search(r"&\w", text or ""), f"{source!r} lost its keyboard accelerator"


def test_translation_file_is_current_with_the_sources(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "missing")
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(lupdate), *SOURCES, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    current = {(c, s) for c, s, _t, _k in messages(TS)}
    wanted = {(c, s) for c, s, _t, _k in messages(fresh)}
    assert wanted - current == set(), "run 'make update-translations' and translate the new strings"
    assert current - wanted == set(), "run 'make update-translations' to drop obsolete strings"


def test_compiled_translation_loads(qapp: object) -> None:
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS_DIR / "agent_desktop_zh_CN.qm")), (
        "run make translations"
    )
    assert translator.translate("MainWindow", "Not ready") == "未就绪"


@pytest.mark.parametrize(
    ("setting", "locale", "expected"),
    [("auto", "zh_TW", "zh_CN"), ("auto", "en_GB", "en"), ("zh_CN", "en_US", "zh_CN")],
)
def test_language_choice(setting: str, locale: str, expected: str) -> None:
    assert resolve_language(setting, locale) == expected
