"""The customer portal in a real browser (Debian's chromium, selenium) against the real backend
over HTTP, with the agent's desk (pytest-qt) on the same backend: a customer signs in with the
code the test SMS gateway recorded, registers a problem with a photo while FAQ articles are
pushed as they type, the agent's desk sees the portal ticket appear in the team's list (its
channel shown) and resolves it, the customer follows it to resolved and rates it. Then every
portal page in both languages, as screenshots (``PORTAL_TOUR_OUT`` keeps them; ``make tour``)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from agent_desktop.ui.models.tickets_model import COLUMNS, Column, View
from server_stub.models import ArticleRow
from server_stub.sms.gateway import RecordingSmsGateway
from tests.fakes import browser
from tests.fakes.servers import LiveBackend
from tests.ui.conftest import LiveDesk

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not browser.available(), reason="Debian chromium + chromium-driver"),
]
TIMEOUT_MS = 20_000
ZHAO = "13800138000"  # 赵敏, a contact of C-100001 (the medical devices team's customer)


@pytest.fixture
def chrome() -> Iterator[Callable[[str], WebDriver]]:
    opened: list[WebDriver] = []

    def start(language: str = "zh-CN") -> WebDriver:
        driver = browser.chromium(language)
        opened.append(driver)
        return driver

    yield start
    for driver in opened:
        driver.quit()


def wait(driver: WebDriver) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(driver, TIMEOUT_MS / 1000)


def photo(folder: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    path = folder / "屏幕.png"
    assert image.save(str(path), "PNG")
    return path


def sign_in(driver: WebDriver, backend: LiveBackend) -> None:
    driver.get(f"{backend.url}/portal/sign-in")
    driver.find_element(By.ID, "phone").send_keys(ZHAO)
    driver.find_element(By.ID, "send-code").click()
    wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "code")))
    gateway = backend.app.state.sms_gateway
    assert isinstance(gateway, RecordingSmsGateway)
    code = re.search(r"\b(\d{6})\b", gateway.messages("+86" + ZHAO)[-1].text)
    assert code
    driver.find_element(By.ID, "code").send_keys(code.group(1))
    driver.find_element(By.ID, "verify").click()
    wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "sms-switch")))


def an_article_title(backend: LiveBackend) -> str:
    with backend.database.session() as session:
        return (
            session.scalars(
                select(ArticleRow.title).where(ArticleRow.language == "zh").order_by(ArticleRow.id)
            ).first()
            or ""
        )


def test_a_customer_registers_follows_and_rates_while_the_desk_resolves(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    chrome: Callable[[str], WebDriver],
    tmp_path: Path,
) -> None:
    rig, _phone, _agent = make_live_desk()
    backend = rig.backend
    driver = chrome("zh-CN")
    sign_in(driver, backend)

    # Registering: the FAQ pushes articles while the description is typed.
    driver.find_element(By.ID, "new-ticket").click()
    title = an_article_title(backend)
    assert title
    driver.find_element(By.ID, "summary").send_keys("设备故障")
    driver.find_element(By.ID, "description").send_keys(title)
    wait(driver).until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, "#suggestions .suggestion")
        )
    )
    pushed = driver.find_element(By.ID, "suggestions").text
    assert title in pushed
    driver.find_element(By.ID, "photos").send_keys(str(photo(tmp_path)))
    driver.find_element(By.ID, "register").click()
    registered = wait(driver).until(
        expected_conditions.presence_of_element_located((By.ID, "registered"))
    )
    number = re.search(r"SR-\d{8}-\d{6}", registered.text)
    assert number, registered.text
    ticket_number = number.group(0)

    # The agent's desk: the portal ticket in the team's list, its channel shown; resolved.
    work_desk = rig.window.work_desk
    assert work_desk is not None
    panel = work_desk.tickets
    panel.set_view(View.TEAM)

    def listed() -> bool:
        if ticket_number in panel.visible_numbers():
            return True
        rig.sync.sync_now()
        return False

    qtbot.waitUntil(listed, timeout=TIMEOUT_MS)
    row = panel.visible_numbers().index(ticket_number)
    channel = panel.proxy.data(panel.proxy.index(row, COLUMNS.index(Column.CHANNEL)))
    assert channel == "Portal"
    cache = rig.sync.cache
    assert cache is not None
    ticket = next(r for r in cache.all("ticket") if r.data["number"] == ticket_number)
    assert ticket.data["attachments"][0]["name"] == "屏幕.png"
    form = panel.open_ticket(ticket.id)
    for move in ("in_progress", "resolved"):
        qtbot.waitUntil(lambda m=move: m in form.moves_offered(), timeout=TIMEOUT_MS)
        with qtbot.waitSignal(form.saved, timeout=TIMEOUT_MS):
            form.findChild(type(form.save_button), f"move_{move}").click()

    # The 360 of the customer shows what they did on the portal as a portal request.
    panel_360 = rig.window.customer_panel
    # As the agent's search in the 360 opens a customer (the rig names no pop service of its own).
    rig.window._pop.open_customer(ticket.data["customer_id"])

    def in_the_history() -> bool:
        timeline = panel_360.timeline
        return any(
            ticket_number in item.text(2) and item.text(1).startswith("Portal request")
            for item in (timeline.topLevelItem(i) for i in range(timeline.topLevelItemCount()))
            if item is not None
        )

    qtbot.waitUntil(in_the_history, timeout=TIMEOUT_MS)

    # The customer follows it to resolved (the desk's write reaches the server) and rates it.
    def resolved_on_the_portal() -> bool:
        driver.get(f"{backend.url}/portal/tickets/{ticket_number}")
        return driver.find_element(By.ID, "ticket-status").text == "已解决"

    qtbot.waitUntil(resolved_on_the_portal, timeout=TIMEOUT_MS)
    assert driver.find_elements(By.CSS_SELECTOR, "img.photo")  # the photo, shown back
    driver.find_element(By.ID, "rate-comment").send_keys("工程师很专业")
    driver.find_element(By.ID, "rate").click()
    rated = wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "rated")))
    assert "5" in rated.text


def test_portal_pages_in_both_languages(chrome: Callable[[str], WebDriver], tmp_path: Path) -> None:
    """Each page as a phone shows it, in Chinese and in English (switched by the link, after
    the browser's Accept-Language chose Chinese). Kept in ``PORTAL_TOUR_OUT`` when set."""
    out = Path(os.environ.get("PORTAL_TOUR_OUT") or tmp_path / "portal")
    out.mkdir(parents=True, exist_ok=True)
    backend = LiveBackend(tmp_path / "server.sqlite")
    try:
        driver = chrome("zh-CN")
        for language in ("zh", "en"):
            driver.get(f"{backend.url}/portal/sign-in")
            if language == "en":
                driver.find_element(By.ID, "switch-language").click()
            wait(driver).until(
                lambda d, lang=language: (
                    d.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith(lang)
                )
            )
            driver.save_screenshot(str(out / f"portal-1-sign-in-{language}.png"))
            if language == "zh":
                sign_in(driver, backend)
            else:
                driver.get(f"{backend.url}/portal/tickets")
            driver.save_screenshot(str(out / f"portal-2-tickets-{language}.png"))
            driver.get(f"{backend.url}/portal/new")
            driver.find_element(By.ID, "description").send_keys(an_article_title(backend))
            wait(driver).until(
                expected_conditions.presence_of_element_located(
                    (By.CSS_SELECTOR, "#suggestions .suggestion")
                )
            )
            driver.save_screenshot(str(out / f"portal-3-new-{language}.png"))
            driver.find_element(By.CSS_SELECTOR, "#suggestions a").click()
            driver.switch_to.window(driver.window_handles[-1])
            wait(driver).until(
                expected_conditions.presence_of_element_located((By.ID, "article-title"))
            )
            driver.save_screenshot(str(out / f"portal-4-faq-article-{language}.png"))
            driver.close()
            driver.switch_to.window(driver.window_handles[0])
            driver.get(f"{backend.url}/portal/tickets")
            first = driver.find_elements(By.CSS_SELECTOR, ".tickets a")
            if first:
                first[0].click()
                wait(driver).until(
                    expected_conditions.presence_of_element_located((By.ID, "ticket-status"))
                )
                driver.save_screenshot(str(out / f"portal-5-ticket-{language}.png"))
        shots = sorted(p.name for p in out.glob("portal-*.png"))
        assert len(shots) >= 8, shots
    finally:
        backend.stop()
