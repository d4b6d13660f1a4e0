"""Knowledge pushed to the agent: the articles that fit what a ticket's summary says and the
product it is about, refreshed as the agent types, without being asked. One click on an
article links it to the ticket. Also the delegate that draws a hit as rich text."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.kb import KbService, SearchAnswer
from agent_desktop.ui.appearance import css, set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.kb_model import HTML_ROLE, ID_ROLE, KbHitsModel
from agent_desktop.ui.palette import ColourRole

SUGGEST_DELAY_MS = 300  # typing pauses this long before the index is asked


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's HTML_ROLE (title, product, snippet with the matched words in bold)."""

    @staticmethod
    def _document(option: QStyleOptionViewItem, text: str, selected: bool = False) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(4)
        # The details line is secondary text; on a selected row it must read on the highlight
        # (grey on the selection blue was 1.07:1).
        meta = ColourRole.HIGHLIGHTED_MUTED if selected else ColourRole.MUTED
        document.setDefaultStyleSheet(f".meta {{ color: {css(meta)}; }}")
        document.setHtml(text)
        document.setTextWidth(max(option.rect.width() or 320, 120))
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        document = self._document(option, str(index.data(HTML_ROLE) or ""), selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, item.palette.color(role))
        rect = item.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        document = self._document(option, str(index.data(HTML_ROLE) or ""))
        return QSize(int(document.idealWidth()), int(document.size().height()) + 2)


class KbSuggestions(QWidget):
    link_requested = Signal(int, str)  # article id, title

    def __init__(self, kb: KbService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kbSuggestions")
        self._kb = kb
        self._text = ""
        self._product: str | None = None
        self._request = 0
        self._channel = f"suggest-{id(self)}"
        self.model = KbHitsModel(self, snippets=False)
        self._texts = LiveTexts()  # (changeEvent)
        self.title_label = self._texts.label(
            lambda: self.tr("Suggested articles (click to link to this ticket):")
        )
        set_tone(self.title_label, ColourRole.MUTED)
        self.list = QListView()
        self.list.setObjectName("kbSuggestionList")
        self._texts.bind(self.list.setAccessibleName, lambda: self.tr("Suggested articles"))
        self.list.setModel(self.model)
        self.list.setItemDelegate(HitDelegate(self.list))
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setMaximumHeight(120)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.clicked.connect(self._clicked)
        self.empty_label = self._texts.label(lambda: self.tr("No article fits yet."))
        set_tone(self.empty_label, ColourRole.MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.list)
        layout.addWidget(self.empty_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self._ask)
        kb.suggested.connect(self._answered)
        self._show_empty()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()  # (the hits are the articles' own titles)
        super().changeEvent(event)

    def set_text(self, text: str) -> None:
        if text.strip() != self._text:
            self._text = text.strip()
            self._timer.start()

    def set_product(self, product_line: str | None) -> None:
        if (product_line or None) != self._product:
            self._product = product_line or None
            self._timer.start()

    def set_linked(self, ids: set[int]) -> None:
        self.model.set_linked(ids)

    def titles(self) -> list[str]:
        return [hit.title for hit in self.model.hits()]

    def _ask(self) -> None:
        if not self._text and not self._product:
            self._request = 0
            self.model.set_hits([])
            self._show_empty()
            return
        self._request = self._kb.suggest(self._text, self._product, channel=self._channel)

    def _answered(self, answer: SearchAnswer) -> None:
        if answer.request_id != self._request:
            return  # another form's, or overtaken by what the agent typed since
        self.model.set_hits(answer.hits)
        self._show_empty()

    def _show_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.list.setVisible(not empty)
        self.empty_label.setVisible(empty)

    def _clicked(self, index: QModelIndex) -> None:
        article_id = int(index.data(ID_ROLE))
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        self.link_requested.emit(article_id, title)
