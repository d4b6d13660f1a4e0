"""The real app, end to end: ``agent-desktop --demo --offscreen --tour OUTDIR`` in a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.fakes.waiting import TOUR_BUDGET_S

pytestmark = pytest.mark.slow

EXPECTED = [
    "01-login.png",
    "02-login-wrong-password.png",
    "03-main-window.png",
    "04-dispatch-tab.png",
    "05-knowledge-base-tab.png",
    "06-view-menu.png",
    "07-sync-conflict.png",
    "08-conflict-dialog.png",
    "09-refused-changes.png",
    "10-phone-ringing.png",
    "11-call-bar-ringing.png",
    "12-screen-pop.png",
    "13-phone-in-call.png",
    "14-call-bar-in-call.png",
    "15-directory.png",
    "16-ticket-form.png",
    "17-monitored-call.png",
    "18-wrap-up.png",
    "19-tickets.png",
    "20-dispatch-form.png",
    "21-callbacks.png",
    "22-phone-restarting.png",
    "23-phone-account.png",
    "24-wallboard.png",
    "25-keyboard-shortcuts.png",
]


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
    assert sorted(p.name for p in tmp_path.glob("*.png")) == EXPECTED
    for name in EXPECTED:
        # A blank or single-colour image would mean nothing was rendered.
        assert distinct_colours(tmp_path / name) > 8, name
    main = QImage(str(tmp_path / "03-main-window.png"))
    assert (main.width(), main.height()) == (1280, 800)
    # The palette reached every window the tour photographs, the lead's board included.
    for name in ("03-main-window.png", "16-ticket-form.png", "24-wallboard.png"):
        lightness = mean_lightness(tmp_path / name)
        assert (lightness < 0.35) if palette == "dark" else (lightness > 0.75), (name, lightness)
    log = (tmp_path / "tour.log").read_text(encoding="utf-8")
    assert "signed in as 王芳" in log
    assert f"done: {len(EXPECTED)} screens" in log
    greeting = "screen pop: 您好，赵女士 · 赵敏 · 北京协和医院"
    assert greeting in log  # in the customer's language, whatever the agent's
    assert "wrap-up done" in log
    # The caller said "王先生"; the CRM knows the number as 赵敏's, and the call line says so.
    assert "ringing: ↓ 赵敏 13800138000" in log
    assert "hung up" in log
    assert "conflict settled and sent" in log
    assert "wallboard as 张伟: " in log
    assert "team message on 王芳's desk: " in log
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
