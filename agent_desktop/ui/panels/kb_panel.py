"""The Knowledge tab: search as the agent types (Chinese, English or both), filters, the
article beside the results, "not found" to the experts, and, for experts and team leads, the
report: most viewed, least helpful, unanswered questions by age, answer coverage.

The panel asks ``KbService`` and shows its answers; a search waits for a pause in typing and
an answer to an older search is dropped. While a call is in progress on a product and the
search box is empty, the list shows the articles suggested for that call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.kb import (
    Facets,
    IndexReport,
    KbQuery,
    KbService,
    SearchAnswer,
)
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.dialogs.answer_dialog import AnswerDialog
from agent_desktop.ui.dialogs.article_view import ArticleView
from agent_desktop.ui.dialogs.question_dialog import QuestionDialog
from agent_desktop.ui.dialogs.synonyms_dialog import SynonymsDialog
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.kb_model import ID_ROLE, KbHitsModel, RowsModel, language_label
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.widgets.kb_suggestions import HitDelegate
from sync.contract.kb import KbStatsOut
from sync.kb.records import MatchQuality

SEARCH_DELAY_MS = 200  # a pause in typing this long starts a search
RESULTS = 20
QUALITY_TOP = 5  # the results an agent reads: the verdict is on the best of them
CANDIDATES = 5  # articles offered to an expert answering a question


def ui_language() -> str:
    """The language the agent reads the desk in (zh | en): its articles come first."""
    return "zh" if QLocale().language() == QLocale.Language.Chinese else "en"


class KbPanel(QWidget):
    link_requested = Signal(int, str)  # article id, title: link to the ticket being edited
    dial_requested = Signal(str)  # a number in an article, clicked

    def __init__(self, kb: KbService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kbPanel")
        self.kb = kb
        self._request = 0  # the search whose answer is awaited (older ones are dropped)
        self._push_request = 0
        self._ticket: tuple[int, str] | None = None
        self._ticket_product = ""
        self._pushed_for = ""  # the product line of the call the suggestions are for
        self._waiting: list[tuple[object, ...]] = []  # the experts' queue, as last shown
        self._waiting_ids: list[int] = []
        self.answer_dialog: AnswerDialog | None = None
        self.searches = 0  # searches asked (the tests check the debounce)
        self.last_answer: SearchAnswer | None = None
        self.match_quality = MatchQuality.GOOD  # of the last search's results
        self.question_dialog: QuestionDialog | None = None
        self._pushed: SearchAnswer | None = None  # the call's articles, as last shown
        self._stats: KbStatsOut | None = None  # the experts' report, as last shown
        self._texts = LiveTexts()  # (retranslate)
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        kb.searched.connect(self._searched)
        kb.suggested.connect(self._suggested)
        kb.facets_loaded.connect(self._show_facets)
        kb.index_ready.connect(self._index_ready)
        kb.stats_loaded.connect(self._show_stats)

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        left = self._build_search()
        self.article = ArticleView(self.kb)
        self.article.link_requested.connect(self.link_requested)
        self.article.dial_requested.connect(self.dial_requested)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.article)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 480])
        search_page = QWidget()
        page_layout = QVBoxLayout(search_page)
        page_layout.addWidget(splitter)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("kbTabs")
        self._texts.tab(self.tabs, search_page, lambda: self.tr("Search"))
        self._texts.tab(self.tabs, self._build_report(), lambda: self.tr("Report"))
        self.tabs.setTabVisible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._show_status()

    def _build_search(self) -> QWidget:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("kbSearch")
        self._texts.bind(
            self.search_edit.setAccessibleName, lambda: self.tr("Search the knowledge base")
        )
        self._texts.bind(
            self.search_edit.setPlaceholderText,
            lambda: self.tr(
                "Search the knowledge base: symptom, alarm code, product (中文 or English)"
            ),
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._schedule)
        self.product_combo = self._filter("kbProduct", lambda: self.tr("All products"))
        self.language_combo = self._filter("kbLanguage", lambda: self.tr("All languages"))
        self.tag_combo = self._filter("kbTag", lambda: self.tr("All tags"))
        filters = QHBoxLayout()
        filters.addWidget(self.product_combo, 2)
        filters.addWidget(self.language_combo, 1)
        filters.addWidget(self.tag_combo, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("kbStatus")
        set_tone(self.status_label, ColourRole.MUTED)
        self.model = KbHitsModel(self)
        self.results = QListView()
        self.results.setObjectName("kbResults")
        self._texts.bind(
            self.results.setAccessibleName, lambda: self.tr("Knowledge base articles found")
        )
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.clicked.connect(self._open)
        self.results.activated.connect(self._open)
        self.ask_button = QPushButton()
        self._texts.bind(self.ask_button.setText, lambda: self.tr("Not found? Ask the experts…"))
        self.ask_button.setObjectName("kbAsk")
        self.ask_button.clicked.connect(self.ask_experts)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_edit)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.status_label)
        left_layout.addWidget(self.results, 1)
        left_layout.addWidget(self.ask_button)
        return left

    def _filter(self, name: str, everything: Callable[[], str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem("", None)
        self._texts.items(combo, [everything])
        combo.currentIndexChanged.connect(self._schedule)
        return combo

    def _table(
        self, name: str, headers: Callable[[], Sequence[str]]
    ) -> tuple[QTableView, RowsModel]:
        model = RowsModel(headers, self)
        view = QTableView()
        view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        view.setObjectName(name)
        self._texts.bind(view.setAccessibleName, lambda: headers()[0])
        view.setModel(model)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit_headers(view)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        return view, model

    def _build_report(self) -> QWidget:
        page = QWidget()
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("kbCoverage")
        font = self.coverage_label.font()
        font.setBold(True)
        self.coverage_label.setFont(font)
        refresh = QPushButton()
        self._texts.bind(refresh.setText, lambda: self.tr("Refresh"))
        refresh.clicked.connect(self.kb.load_stats)
        head = QHBoxLayout()
        head.addWidget(self.coverage_label, 1)
        head.addWidget(refresh)

        def counts() -> list[str]:
            return [self.tr("Views"), self.tr("Helpful"), self.tr("Not helpful")]

        self.viewed_table, self.viewed_model = self._table(
            "kbMostViewed", lambda: [self.tr("Most viewed"), *counts()]
        )
        self.unhelpful_table, self.unhelpful_model = self._table(
            "kbLeastHelpful", lambda: [self.tr("Least helpful"), *counts()]
        )
        self.unanswered_table, self.unanswered_model = self._table(
            "kbUnanswered",
            lambda: [
                self.tr("Unanswered question"),
                self.tr("Product line"),
                self.tr("Waiting (h)"),
            ],
        )
        for table in (self.viewed_table, self.unhelpful_table):
            table.doubleClicked.connect(self._open_reported)
        articles = QHBoxLayout()
        articles.addWidget(self.viewed_table)
        articles.addWidget(self.unhelpful_table)
        box = QGroupBox()
        self._texts.bind(
            box.setTitle, lambda: self.tr("Questions waiting for the experts, oldest first")
        )
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.unanswered_table)
        self.answer_button = QPushButton()
        self._texts.bind(self.answer_button.setText, lambda: self.tr("Answer…"))
        self.answer_button.setObjectName("kbAnswer")
        self.answer_button.clicked.connect(lambda _c=False: self.answer_selected())
        self.unanswered_table.doubleClicked.connect(lambda _i: self.answer_selected())
        self.synonyms_button = QPushButton()
        self._texts.bind(self.synonyms_button.setText, lambda: self.tr("Synonyms…"))
        self.synonyms_button.setObjectName("kbSynonyms")
        self._texts.bind(
            self.synonyms_button.setToolTip,
            lambda: self.tr("Spoken forms agents type and the words the articles use for them"),
        )
        self.synonyms_button.clicked.connect(lambda _c=False: self.edit_synonyms())
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.synonyms_button)
        answer_row.addStretch(1)
        answer_row.addWidget(self.answer_button)
        box_layout.addLayout(answer_row)
        layout = QVBoxLayout(page)
        layout.addLayout(head)
        layout.addLayout(articles, 1)
        layout.addWidget(box, 1)
        return page

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The panel in the language now in use: its fixed texts, the languages filter, the
        line over the results (for what is shown: a search, the call's articles, the index)
        and the experts' report."""
        self._texts.retranslate()
        combo = self.language_combo
        for index in range(1, combo.count()):
            combo.setItemText(index, language_label(str(combo.itemData(index))))
        answer = self.last_answer
        if self.search_edit.text().strip():
            if answer is not None and answer.request_id == self._request:
                self._searched(answer)
            else:
                self._show_status(self.tr("Searching…"))
        elif self._pushed is not None and self.model.rowCount():
            self._suggested(self._pushed)
        else:
            self._show_status()
        if self.tabs.isTabVisible(1):
            self._show_stats(self._stats)

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Signed in: the filters fill from the index; experts get their report."""
        expert = self.kb.may("kb.answer")
        self.tabs.setTabVisible(1, expert)
        self.kb.load_facets()
        if expert:
            self.kb.load_stats()

    def apply_permissions(self) -> None:
        """The user's permissions changed while signed in (an admin gave or took the expert
        role): the experts' tab follows."""
        expert = self.kb.may("kb.answer")
        was = self.tabs.isTabVisible(1)
        self.tabs.setTabVisible(1, expert)
        if expert and not was:
            self.kb.load_stats()

    def stop(self) -> None:
        self.search_edit.clear()
        self.model.set_hits([])
        self.article.show_article(None)
        self.set_ticket(None)
        self.tabs.setTabVisible(1, False)

    def set_ticket(self, ticket: tuple[int, str] | None, product_line: str = "") -> None:
        """The ticket being edited (id, number): articles link to it, questions name it."""
        self._ticket = ticket
        self._ticket_product = product_line
        self.article.set_linkable(ticket is not None)

    def suggest_for(self, text: str, product_line: str) -> None:
        """A call in progress on a product: push its articles while the agent has not
        searched."""
        self._pushed_for = product_line
        if not self.search_edit.text().strip() and (text.strip() or product_line):
            self._push_request = self.kb.suggest(
                text,
                product_line or None,
                channel="panel-push",
                limit=RESULTS,
                prefer_language=ui_language(),
            )

    # -- search -------------------------------------------------------------------------------

    def query(self) -> KbQuery:
        return KbQuery(
            self.search_edit.text().strip(),
            self.product_combo.currentData(),
            self.language_combo.currentData(),
            self.tag_combo.currentData(),
            RESULTS,
            ui_language(),
        )

    def _schedule(self) -> None:
        self._timer.start()  # restarted by each keystroke: one search per pause

    def _search(self) -> None:
        query = self.query()
        if not query.text:
            self._request = 0
            self.model.set_hits([])
            self._show_status()
            return
        self.searches += 1
        self._request = self.kb.search(query)
        self._show_status(self.tr("Searching…"))

    def _searched(self, answer: SearchAnswer) -> None:
        if answer.request_id != self._request:
            return  # the agent typed on: this answer is for words no longer in the box
        self.last_answer = answer
        self.model.set_hits(answer.hits)
        quality = MatchQuality.of(answer.hits[:QUALITY_TOP])
        self.match_quality = quality
        if answer.hits and quality is MatchQuality.NONE:
            # Nothing answers most of what was asked: say so rather than let the agent read
            # the customer an article about something else.
            self._show_status(
                self.tr(
                    "No good match for “%1”: these only share a few words. Ask the experts."
                ).replace("%1", answer.query.text)
            )
        elif answer.hits and quality is MatchQuality.WEAK:
            self._show_status(
                self.tr("%n weak match(es): check the article fits before using it.", "",
                        len(answer.hits))
            )  # fmt: skip
        elif answer.hits:
            self._show_status(self.tr("%n article(s)", "", len(answer.hits)))
        else:
            self._show_status(
                self.tr("No article found for “%1”. Try fewer words, or ask the experts.").replace(
                    "%1", answer.query.text
                )
            )

    def _suggested(self, answer: SearchAnswer) -> None:
        if answer.request_id != self._push_request or self.search_edit.text().strip():
            return
        self._pushed = answer
        self.model.set_hits(answer.hits)
        if answer.hits:
            self._show_status(
                self.tr("Suggested for the call about %1").replace(
                    "%1", answer.query.product_line or answer.query.text
                )
            )

    def _show_status(self, text: str = "") -> None:
        if not text:
            report = self.kb.index_report
            if report is None:
                text = self.tr("Preparing the knowledge base…")
            else:
                text = self.tr(
                    "%n article(s) in the knowledge base, offline too", "", report.articles
                )
        self.status_label.setText(text)

    def _index_ready(self, report: IndexReport) -> None:
        if self.search_edit.text().strip():
            if report.written:
                self._search()  # new or changed articles (an expert's answer): search again
        elif not self.model.rowCount():
            self._show_status()
        self.kb.load_facets()

    def _show_facets(self, facets: Facets) -> None:
        for combo, values, label in (
            (self.product_combo, facets.product_lines, str),
            (self.language_combo, facets.languages, language_label),
            (self.tag_combo, facets.tags, str),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(label(value), value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def _open(self, index: QModelIndex) -> None:
        self.article.open(int(index.data(ID_ROLE)))

    def _open_reported(self, index: QModelIndex) -> None:
        model = index.model()
        if isinstance(model, RowsModel):
            key = model.key(index.row())
            if key is not None:
                self.tabs.setCurrentIndex(0)
                self.article.open(key)

    # -- not found ----------------------------------------------------------------------------

    def edit_synonyms(self) -> SynonymsDialog:
        """The experts' synonym table (their report tab is shown to experts only)."""
        dialog = SynonymsDialog(self.kb, parent=self)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.synonyms_dialog = dialog
        dialog.open()
        return dialog

    def ask_experts(self) -> QuestionDialog:
        dialog = QuestionDialog(
            self.kb,
            text=self.search_edit.text().strip(),
            product_line=self.product_combo.currentData()
            or self._ticket_product
            or self._pushed_for,
            product_lines=[
                str(self.product_combo.itemData(i)) for i in range(1, self.product_combo.count())
            ],
            ticket=self._ticket,
            parent=self,
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.question_dialog = dialog
        dialog.open()
        return dialog

    def answer_selected(self) -> AnswerDialog | None:
        """The expert answers the selected waiting question."""
        rows = self.unanswered_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        question_id = self.unanswered_model.key(row)
        if question_id is None:
            return None
        text = str(self.unanswered_model.index(row, 0).data() or "")
        product = str(self.unanswered_model.index(row, 1).data() or "")
        dialog = AnswerDialog(text, product, self)

        def candidates(answer: SearchAnswer) -> None:
            if answer.request_id == asked:
                dialog.set_candidates([(hit.article_id, hit.title) for hit in answer.hits])

        self.kb.searched.connect(candidates)
        dialog.finished.connect(lambda _r: self.kb.searched.disconnect(candidates))
        asked = self.kb.search(
            KbQuery(text, product or None, limit=CANDIDATES, prefer_language=ui_language()),
            channel="answer-candidates",
        )

        def send() -> None:
            if self.kb.answer(
                question_id,
                dialog.answer(),
                dialog.publish(),
                dialog.title(),
                dialog.language(),
                article_id=dialog.existing_article(),
                kept=dialog.kept_text(),
            ):
                self._waiting = [r for n, r in enumerate(self._waiting) if n != row]
                self._waiting_ids = [k for n, k in enumerate(self._waiting_ids) if n != row]
                self.unanswered_model.set_rows(self._waiting, self._waiting_ids)

        dialog.accepted.connect(send)
        self.answer_dialog = dialog
        dialog.open()
        return dialog

    # -- the experts' report ------------------------------------------------------------------

    def _show_stats(self, stats: KbStatsOut | None) -> None:
        self._stats = stats
        if stats is None:
            self.coverage_label.setText(self.tr("The report needs the server: not reachable now."))
            return
        self.coverage_label.setText(
            self.tr("Answer coverage: %1% of %2 tickets have a linked article")
            .replace("%1", f"{stats.coverage * 100:.0f}")
            .replace("%2", str(stats.tickets))
        )
        for model, rows in (
            (self.viewed_model, stats.most_viewed),
            (self.unhelpful_model, stats.least_helpful),
        ):
            model.set_rows(
                [(r.title, r.views, r.helpful, r.not_helpful) for r in rows], [r.id for r in rows]
            )
        self._waiting = [(q.text, q.product_line, q.age_hours) for q in stats.unanswered]
        self._waiting_ids = [q.id for q in stats.unanswered]
        self.unanswered_model.set_rows(self._waiting, self._waiting_ids)
