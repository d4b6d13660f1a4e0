"""The real app, end to end: ``agent-desktop --demo --offscreen --tour OUTDIR`` in a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from agent_desktop.tour import SCREENS
from tests.fakes.waiting import TOUR_BUDGET_S

pytestmark = pytest.mark.slow

NAMES = [
    "login",
    "login-wrong-password",
    "main-window",
    "dispatch-tab",
    "knowledge-base-tab",
    "view-menu",
    "sync-conflict",
    "conflict-dialog",
    "refused-changes",
    "phone-ringing",
    "call-bar-ringing",
    "screen-pop",
    "phone-in-call",
    "call-bar-in-call",
    "<recording>",  # the call bar recording, then paused: in the tour's language, then the other
    "<screens>",  # the call on each screen, in the tour's language, then in the other
    "directory",
    "ticket-form",
    "monitored-call",
    "wrap-up",
    "tickets",
    "dispatch-form",
    "callbacks",
    "<playback>",  # a recording played: in the tour's language, then in the other
    "phone-restarting",
    "phone-account",
    "wallboard",
    "quality-scoring",
    "quality-scorecard",
    "quality-my-evaluation",
    "workforce-patterns",
    "workforce-staffing",
    "workforce-roster",
    "my-shifts",
    "wallboard-adherence",
    "<reports>",  # the Reports window, then its PDF's first page: each language
    "keyboard-shortcuts",
]


def expected(lang: str) -> list[str]:
    """The tour's PNGs, numbered in order, for a tour run in ``lang``."""
    other = "zh_CN" if lang == "en" else "en"
    codes = (lang, other)
    groups = {
        "<screens>": [f"screen-{name}-{code}" for code in codes for name in SCREENS],
        "<recording>": [
            f"call-bar-recording{state}-{code}" for code in codes for state in ("", "-paused")
        ],
        "<playback>": [f"recording-playback-{code}" for code in codes],
        "<reports>": [f"{name}-{code}" for code in codes for name in ("reports", "report-pdf")],
    }
    names = [n for name in NAMES for n in groups.get(name, [name])]
    return [f"{n:02d}-{name}.png" for n, name in enumerate(names, 1)]


def shot(lang: str, name: str) -> str:
    return next(png for png in expected(lang) if png[3:] == f"{name}.png")


def run_tour(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo",
            "--offscreen",
            "--tour",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=TOUR_BUDGET_S,
        env=env,
        check=False,
    )


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    assert not image.isNull(), f"{path.name} is not a readable PNG"
    step = max(1, image.width() // 64)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def mean_lightness(path: Path) -> float:
    """0 (black) to 1 (white), over a grid of pixels."""
    image = QImage(str(path))
    step = max(1, image.width() // 64)
    values = [
        image.pixelColor(x, y).lightnessF()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    ]
    return sum(values) / len(values)


@pytest.mark.timeout(TOUR_BUDGET_S + 60)
@pytest.mark.parametrize(("lang", "palette"), [("en", "light"), ("zh_CN", "light"), ("en", "dark")])
def test_tour_writes_every_screen(tmp_path: Path, lang: str, palette: str, qapp: object) -> None:
    result = run_tour(tmp_path, "--lang", lang, "--palette", palette)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.png")) == expected(lang)
    for name in expected(lang):
        # A blank or single-colour image would mean nothing was rendered.
        assert distinct_colours(tmp_path / name) > 8, name
    main = QImage(str(tmp_path / "03-main-window.png"))
    assert (main.width(), main.height()) == (1280, 800)
    # The palette reached every window the tour photographs, the lead's board included.
    for name in (shot(lang, "main-window"), shot(lang, "ticket-form"), shot(lang, "wallboard")):
        lightness = mean_lightness(tmp_path / name)
        assert (lightness < 0.35) if palette == "dark" else (lightness > 0.75), (name, lightness)
    log = (tmp_path / "tour.log").read_text(encoding="utf-8")
    assert "signed in as 王芳" in log
    assert f"done: {len(expected(lang))} screens" in log
    for name, size in SCREENS.items():  # each screen at its size: the window did not grow
        for code in ("en", "zh_CN"):
            image = QImage(str(tmp_path / shot(lang, f"screen-{name}-{code}")))
            assert (image.width(), image.height()) == size, (name, code)
    greeting = "screen pop: 您好，赵女士 · 赵敏 · 北京协和医院"
    assert greeting in log  # in the customer's language, whatever the agent's
    assert "wrap-up done" in log
    # The caller said "王先生"; the CRM knows the number as 赵敏's, and the call line says so.
    assert "ringing: ↓ 赵敏 13800138000" in log
    assert "hung up" in log
    assert "conflict settled and sent" in log
    assert "wallboard as 张伟: " in log
    assert "team message on 王芳's desk: " in log
    # Quality scoring: the lead's score (the server's, with the critical item missed), heard
    # on 王芳's desk.
    fails = "不合格 — 致命项未达标" if lang == "zh_CN" else "Fail — critical item missed"
    assert fails in log
    assert "on 王芳's desk: " in log
    # Workforce (issue 21): the server's roster proposed, published, heard on 王芳's desk, and
    # the board's adherence.
    proposed = "排班建议已生成" if lang == "zh_CN" else "Roster proposed"
    assert f"workforce: {proposed}" in log
    assert "adherence on the board: " in log
    # Reports (issue 21): the lead's figures, and the PDF rendered in both languages.
    assert "reports as 张伟 (en): " in log
    assert "reports as 张伟 (zh_CN): " in log
    assert "report PDF (zh_CN): " in log
    duplicate = "该客户编号已被其他记录使用" if lang == "zh_CN" else "This Customer code is already"
    assert duplicate in log
    refused = "用户名或密码错误" if lang == "zh_CN" else "Wrong user name or password"
    assert refused in log
    assert "demo1234" not in log + result.stderr  # the password never reaches a log


def test_tour_needs_demo(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent_desktop", "--offscreen", "--tour", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--tour needs --demo" in result.stderr
