"""The knowledge base on the desk: search as you type (debounced, stale answers dropped),
filters, articles pushed from a ticket's summary and linked with one click, a safe article
view, votes and views shown at once offline and counted on the server once online, and the
"not found" question answered by an expert and back on the desk as a new article."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.kb import ArticleDetail, Counts, KbQuery, KbService, SearchAnswer
from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.models.kb_model import HTML_ROLE, ID_ROLE
from agent_desktop.ui.panels.kb_panel import KbPanel
from agent_desktop.ui.work_desk import KNOWLEDGE_TAB
from softphone import Phone, PhoneConfig
from sync.cache import LocalCache
from sync.contract.wire import ChangeOut
from sync.engine import SyncStatus
from sync.kb.content import safe_html
from tests.fakes.proxy import FaultProxy
from tests.fakes.rig import Rig
from tests.fakes.servers import LiveBackend
from tests.fakes.work import DeskSync

TIMEOUT = 10_000


def article(rid: int, title: str, body: str, lang: str, tags: str, line: str) -> dict[str, Any]:
    return {
        "id": rid, "title": title, "body": body, "language": lang, "tags": tags.split(","),
        "product_lines": [line], "status": "published", "author_id": 1, "helpful": 2,
        "not_helpful": 0, "views": 10, "version": 1, "updated_at": "2026-11-01T08:00:00+00:00",
    }  # fmt: skip


# fmt: off
ARTICLES = [
    article(
        101,
        "输液泵 E-17 报警（泵门未关紧）",
        "<p>E-17 表示泵门未关紧。</p>"
        "<script>alert(1)</script><img src='http://tracker.example/x.png'>",
        "zh",
        "输液泵,报警,E-17",
        "输液泵",
    ),
    article(
        102,
        "Infusion pump alarm E-17: door not closed",
        "Close the door until it clicks.",
        "en",
        "alarm,E-17",
        "输液泵",
    ),
    article(
        103,
        "输液泵管路气泡报警",
        "夹闭管路，排尽气泡后重新安装。",
        "zh",
        "输液泵,气泡,报警",
        "输液泵",
    ),
    article(104, "打印机卡纸处理", "打开后盖取出纸张。", "zh", "卡纸,打印机", "Office Printers"),
    article(
        105,
        "Printer paper jam in tray 2",
        "Pull tray 2 out and remove the paper.",
        "en",
        "paper jam,tray",
        "Office Printers",
    ),
]


class OfflineSync(QObject):
    """What KbService needs of SyncService, with no server: the cache and its signals."""

    records_changed = Signal(object)
    event_received = Signal(object)
    status_changed = Signal(object)

    def __init__(self, cache: LocalCache) -> None:
        super().__init__()
        self.cache = cache
        self.grant = DeskSync(cache).grant
        self.client_factory = None
        self.engine = None
        self.synced = 0

    def sync_now(self) -> None:
        self.synced += 1

    def call(self, op: str, request: BaseModel, target_id: int | None = None) -> Future[None]:
        return DeskSync(self.cache).call(op, request, target_id)  # the typed body, queued


@pytest.fixture
def kb(work_cache: LocalCache, tasks: TaskRunner) -> Iterator[KbService]:
    changes = [
        ChangeOut(seq=1000 + n, entity="article", id=a["id"], op="upsert", version=1, data=a)
        for n, a in enumerate(ARTICLES)
    ]
    work_cache.apply_changes(changes, 2000).result(timeout=10)
    sync = OfflineSync(work_cache)
    work_cache.on_records_changed(partial(tasks.post, sync.records_changed.emit))
    service = KbService(sync, tasks)  # type: ignore[arg-type]
    yield service
    service.close()


@pytest.fixture
def panel(qtbot: QtBot, kb: KbService) -> KbPanel:
    panel = KbPanel(kb)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    with qtbot.waitSignal(kb.index_ready, timeout=TIMEOUT):
        kb.start()
        panel.start()
    qtbot.waitUntil(lambda: panel.product_combo.count() > 1, timeout=TIMEOUT)
    return panel


def type_in(edit: QLineEdit, text: str) -> None:
    """Keystroke by keystroke (QTest.keyClicks asserts on characters outside Latin-1)."""
    for end in range(1, len(text) + 1):
        edit.setText(text[:end])


def titles(panel: KbPanel) -> list[str]:
    return [hit.title for hit in panel.model.hits()]


def search(qtbot: QtBot, panel: KbPanel, text: str) -> list[str]:
    with qtbot.waitSignal(panel.kb.searched, timeout=TIMEOUT):
        panel.search_edit.setText(text)
    qtbot.waitUntil(lambda: panel.last_answer is not None and panel.last_answer.query.text == text)
    return titles(panel)


def test_search_as_you_type_is_debounced_and_drops_stale_answers(
    qtbot: QtBot, panel: KbPanel, qtmodeltester: Any
) -> None:
    assert panel.kb.index_report is not None
    assert panel.kb.index_report.articles == 5
    type_in(panel.search_edit, "泵 E-17 报警")  # mixed Chinese and a code
    qtbot.waitUntil(lambda: panel.last_answer is not None, timeout=TIMEOUT)
    assert panel.searches == 1  # one search for the whole phrase, after the pause
    found = titles(panel)
    assert found[:2] == [
        "输液泵 E-17 报警（泵门未关紧）",
        "Infusion pump alarm E-17: door not closed",
    ]
    qtmodeltester.check(panel.model)
    first = panel.model.hit(0)
    assert any(span.highlighted and "E-17" in span.text for span in first.title_spans)
    assert "1 article" in panel.status_label.text() or "article" in panel.status_label.text()

    # An answer that comes back after the agent typed on is not shown.
    stale = SearchAnswer(-1, KbQuery("old words"), [], 0.0)
    panel.kb.searched.emit(stale)
    assert titles(panel) == found

    assert (
        search(qtbot, panel, "paper jam")
        == [
            "Printer paper jam in tray 2",
            "打印机卡纸处理",
        ]
        or titles(panel)[0] == "Printer paper jam in tray 2"
    )
    assert search(qtbot, panel, "zzzz-nothing") == []
    assert "No article found" in panel.status_label.text()


def test_filters_narrow_by_product_language_and_tag(qtbot: QtBot, panel: KbPanel) -> None:
    everything = search(qtbot, panel, "报警 alarm")
    assert len(everything) == 3
    with qtbot.waitSignal(panel.kb.searched, timeout=TIMEOUT):
        panel.language_combo.setCurrentIndex(panel.language_combo.findData("en"))
    qtbot.waitUntil(lambda: titles(panel) == ["Infusion pump alarm E-17: door not closed"])
    panel.language_combo.setCurrentIndex(0)
    with qtbot.waitSignal(panel.kb.searched, timeout=TIMEOUT):
        panel.tag_combo.setCurrentIndex(panel.tag_combo.findData("气泡"))
    qtbot.waitUntil(lambda: titles(panel) == ["输液泵管路气泡报警"])
    panel.tag_combo.setCurrentIndex(0)
    search(qtbot, panel, "卡纸 paper")
    with qtbot.waitSignal(panel.kb.searched, timeout=TIMEOUT):
        panel.product_combo.setCurrentIndex(panel.product_combo.findData("输液泵"))
    qtbot.waitUntil(lambda: titles(panel) == [])


def test_article_view_is_safe_and_a_vote_shows_at_once_offline(
    qtbot: QtBot, panel: KbPanel, work_cache: LocalCache
) -> None:
    search(qtbot, panel, "E-17")
    with qtbot.waitSignal(panel.kb.article_loaded, timeout=TIMEOUT):
        panel.results.clicked.emit(panel.model.index(titles(panel).index(ARTICLES[0]["title"])))
    view = panel.article
    assert view.detail is not None
    assert view.detail.id == 101
    assert "script" not in view.detail.html
    assert "alert" not in view.detail.html
    assert "tracker.example" not in view.detail.html
    assert "E-17 表示泵门未关紧" in view.browser.toPlainText()
    assert view.browser.openExternalLinks() is False
    assert view.counts.views == 11  # the pulled 10 and this view, waiting in the outbox
    with qtbot.waitSignal(panel.kb.counts_changed, timeout=TIMEOUT):
        view.helpful_button.click()
    assert (view.counts.helpful, view.counts.waiting) == (3, 2)
    assert "not sent yet" in view.counts_label.text()
    assert not view.helpful_button.isEnabled()  # one vote per article
    queued = [
        (e.op, e.target_id, e.operation.route().path, e.payload)
        for e in work_cache.outbox()
        if e.entity.startswith("kb_")
    ]
    assert queued == [
        ("kb.view", 101, "/kb/articles/101/views", {"count": 1}),
        ("kb.feedback", 101, "/kb/articles/101/feedback", {"helpful": True}),
    ]


def test_unsafe_html_is_rebuilt_from_an_allow_list() -> None:
    body = (
        '<p onclick="x()">Hi <a href="javascript:evil()">link</a> <b>bold</b></p>'
        "<iframe src='http://x'></iframe><style>p{}</style><img src=\"data:image/png;base64,AA\">"
    )
    cleaned = safe_html(body)
    assert cleaned == '<p>Hi <a>link</a> <b>bold</b></p><img src="data:image/png;base64,AA">'
    assert safe_html("line one\nline two\n\nnext") == "<p>line one<br>line two</p><p>next</p>"


def test_a_ticket_summary_pushes_articles_and_one_click_links_one(
    qtbot: QtBot, work: WorkService, kb: KbService
) -> None:
    with qtbot.waitSignal(kb.index_ready, timeout=TIMEOUT):
        kb.start()
    form = TicketForm(work, customer_id=1, contact_id=None)
    qtbot.addWidget(form)
    form.attach_kb(kb)
    form.show()
    assert form.suggestions is not None
    qtbot.waitUntil(lambda: form.asset_combo.count() > 1, timeout=TIMEOUT)
    form.asset_combo.setCurrentIndex(form.asset_combo.findData(11))  # the pump, 输液泵
    assert form.product_line() == "输液泵"
    with qtbot.waitSignal(kb.suggested, timeout=TIMEOUT):
        type_in(form.summary_edit, "泵门 E-17 一直报警")
    qtbot.waitUntil(lambda: bool(form.suggestions and form.suggestions.titles()), timeout=TIMEOUT)
    suggested = form.suggestions.titles()
    assert suggested[0] in (ARTICLES[0]["title"], ARTICLES[1]["title"])
    assert "打印机卡纸处理" not in suggested
    first = form.suggestions.model.index(0)
    form.suggestions.list.clicked.emit(first)
    assert form.articles_list.count() == 1
    assert form.articles_list.item(0).data(Qt.ItemDataRole.UserRole) in (101, 102)
    # Saved with the ticket's article_ids; the suggestion says it is linked.
    assert form.articles_list.item(0).data(Qt.ItemDataRole.UserRole) == first.data(ID_ROLE)
    assert "linked" in str(first.data(HTML_ROLE))


# -- against the real backend, through a proxy that can go down -------------------------------


@pytest.fixture(params=[True])
def kb_desk(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
) -> Iterator[tuple[Rig, KbService]]:
    backend = LiveBackend(tmp_path / "server.sqlite")
    proxy = FaultProxy(backend.url)
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    window = MainWindow(session, messages, layout_store)
    window.attach_sync(sync)
    pop = ScreenPopService(sync, tasks)
    pop.attach(phone)
    agent = AgentStateService(phone, sync)
    window.attach_desk(pop, agent, phone)
    work = WorkService(sync, tasks)
    sync.records_changed.connect(work.records_changed)
    kb = KbService(sync, tasks)
    desk = window.attach_work(work, kb)
    sync.ready.connect(desk.start)
    qtbot.addWidget(window)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    window.show()
    # Through the proxy to go offline at will; straight to the backend for the event stream
    # (server-sent events), which the proxy, reading whole answers, would hold back.
    url = proxy.url if request.param else backend.url
    session.sign_in(url, "wangfang", "demo1234", remember=False)
    qtbot.waitUntil(
        lambda: sync.status.state == "online" and sync.status.last_synced is not None,
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: bool(kb.index_report and kb.index_report.articles), timeout=15_000)
    statuses: list[SyncStatus] = []
    sync.status_changed.connect(statuses.append)
    yield Rig(backend, proxy, window, sync, session, statuses), kb
    phone.stop()
    pop.close()
    work.close()
    kb.close()
    sync.close_now()
    proxy.stop()
    backend.stop()


def server_counts(rig: Rig, article_id: int) -> dict[str, Any]:
    counts: Any = rig.api("GET", f"/kb/counts?ids={article_id}")
    return dict(counts["articles"][0])


def test_votes_and_views_made_offline_reach_the_server(
    qtbot: QtBot, kb_desk: tuple[Rig, KbService]
) -> None:
    rig, kb = kb_desk
    desk = rig.window.work_desk
    assert desk is not None
    assert desk.knowledge is not None
    panel = desk.knowledge
    rig.window.work_area.setCurrentIndex(KNOWLEDGE_TAB)
    assert kb.index_report is not None
    assert kb.index_report.articles >= 25
    assert kb.build_report is not None  # the first pull filled the empty index
    assert kb.build_report.written >= 25
    found = search(qtbot, panel, "输液泵 报警")
    assert any("E-17" in title for title in found)
    target = next(h for h in panel.model.hits() if "E-17" in h.title)
    before = server_counts(rig, target.article_id)

    rig.proxy.mode = "down"
    rig.sync.sync_now()
    qtbot.waitUntil(lambda: rig.sync.status.state == "offline", timeout=TIMEOUT)
    with qtbot.waitSignal(kb.article_loaded, timeout=TIMEOUT):
        panel.article.open(target.article_id)
    with qtbot.waitSignal(kb.counts_changed, timeout=TIMEOUT):
        panel.article.not_helpful_button.click()
    shown = panel.article.counts
    assert (shown.views, shown.not_helpful) == (before["views"] + 1, before["not_helpful"] + 1)
    assert shown.waiting == 2

    rig.proxy.mode = "pass"
    rig.sync.sync_now()
    qtbot.waitUntil(
        lambda: server_counts(rig, target.article_id)["not_helpful"] == before["not_helpful"] + 1,
        timeout=15_000,
    )
    assert server_counts(rig, target.article_id)["views"] == before["views"] + 1
    # The desk asks for the counters once its votes are through: the same figures, none waiting.
    qtbot.waitUntil(lambda: panel.article.counts.waiting == 0, timeout=TIMEOUT)
    assert panel.article.counts.not_helpful == before["not_helpful"] + 1


@pytest.mark.parametrize("kb_desk", [False], indirect=True)
def test_a_question_not_found_goes_to_the_experts_and_comes_back_as_an_article(
    qtbot: QtBot, kb_desk: tuple[Rig, KbService]
) -> None:
    rig, kb = kb_desk
    desk = rig.window.work_desk
    assert desk is not None
    assert desk.knowledge is not None
    panel = desk.knowledge
    assert not any("除颤" in title for title in search(qtbot, panel, "除颤仪 自检失败"))
    dialog = panel.ask_experts()
    assert dialog.text_edit.toPlainText() == "除颤仪 自检失败"
    dialog.product_combo.setCurrentText("Patient Monitors")
    with qtbot.waitSignal(kb.question_sent, timeout=TIMEOUT):
        dialog.send_button.click()
    questions: list[Any] = []

    def queued() -> bool:
        found: Any = rig.api("GET", "/kb/questions?status=open", user="zhangwei")
        questions[:] = found
        return any(q["text"] == "除颤仪 自检失败" for q in questions)

    qtbot.waitUntil(queued, timeout=15_000)
    question = next(q for q in questions if q["text"] == "除颤仪 自检失败")
    assert question["product_line"] == "Patient Monitors"
    assert question["asked_by"] == rig.sync.grant.user.id  # type: ignore[union-attr]

    with qtbot.waitSignal(kb.answered, timeout=15_000) as answered:
        rig.api(
            "POST",
            f"/kb/questions/{question['id']}/answer",
            user="zhangwei",
            json={
                "version": question["version"],
                "answer": "长按电源键 5 秒重新自检；仍失败时更换电池并派工程师。",
                "title": "除颤仪自检失败的处理",
                "language": "zh",
            },
        )
    assert answered.args[0].text == "除颤仪 自检失败"
    qtbot.waitUntil(
        lambda: "answered your question" in rig.window.statusBar().currentMessage(),
        timeout=TIMEOUT,
    )
    # The article made from the answer is pulled, indexed and found by the same search.
    qtbot.waitUntil(lambda: "除颤仪自检失败的处理" in titles(panel), timeout=15_000)


def test_a_number_in_an_article_is_a_link_that_dials_it(qtbot: QtBot, panel: KbPanel) -> None:
    view = panel.article
    body = "<p>请拨 <b>400-800-1234 转 2</b> 或 2026-12-05 前回电。</p>"
    view.show_article(ArticleDetail(101, "售后热线", body, "zh", (), (), 1, "", Counts()))
    html = view.browser.toHtml()
    assert html.count('href="tel:') == 1  # the date is not a number
    href = html.split('href="', 1)[1].split('"', 1)[0]
    with qtbot.waitSignal(panel.dial_requested, timeout=TIMEOUT) as dialled:
        view.browser.anchorClicked.emit(QUrl(href))
    assert dialled.args == ["400-800-1234 转 2"]
