"""One knowledge article: the body as rich text, its version, views and votes, and the agent's
"helpful / not helpful". Safe by construction: the body was rebuilt from an allow-list by
``sync.kb.content.safe_html``, and the browser opens no link and loads nothing but inline
``data:`` images, so an article can neither run anything nor tell anyone it was read."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.kb import ArticleDetail, Counts, KbService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.kb_model import language_label
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.phone_text import link_numbers, number_of_link


class SafeTextBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)  # a click shows nothing new: no navigation, no file reads
        self.refused: list[str] = []  # what an article asked to load (for the tests and logs)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        url = QUrl(name) if isinstance(name, str) else name
        if url.scheme() == "data":
            return super().loadResource(kind, url)
        self.refused.append(url.toString())
        return None


def title_label() -> QLabel:
    """The article's title: bold, a size up, wrapped."""
    label = QLabel()
    label.setObjectName("articleTitle")
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    return label


class ArticleView(QWidget):
    link_requested = Signal(int, str)  # article id, title: link to the open ticket
    dial_requested = Signal(str)  # a phone number in the article, clicked: click-to-dial

    def __init__(self, kb: KbService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self._kb = kb
        self.detail: ArticleDetail | None = None
        self.counts = Counts()
        self.title_label = title_label()
        self.meta_label = QLabel()
        self.meta_label.setObjectName("articleMeta")
        self.meta_label.setWordWrap(True)
        set_tone(self.meta_label, ColourRole.MUTED)
        self.browser = SafeTextBrowser()
        self.browser.setObjectName("articleBody")
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(self.browser.setAccessibleName, lambda: self.tr("Article text"))
        self.browser.anchorClicked.connect(self._anchor)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("articleCounts")
        # Wraps rather than widening the knowledge base tab (in one line it asked 350 px and the
        # English tab widened the window to 1356 px).
        self.counts_label.setWordWrap(True)
        self.helpful_button = QPushButton()
        self._texts.bind(self.helpful_button.setText, lambda: self.tr("Helpful"))
        self.helpful_button.setObjectName("helpful")
        self.helpful_button.clicked.connect(lambda: self._vote(True))
        self.not_helpful_button = QPushButton()
        self._texts.bind(self.not_helpful_button.setText, lambda: self.tr("Not helpful"))
        self.not_helpful_button.setObjectName("notHelpful")
        self.not_helpful_button.clicked.connect(lambda: self._vote(False))
        self.link_button = QPushButton()
        self._texts.bind(self.link_button.setText, lambda: self.tr("Link to ticket"))
        self.link_button.setObjectName("linkArticle")
        self.link_button.clicked.connect(self._link)
        self.link_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts_label, 1)
        buttons.addWidget(self.helpful_button)
        buttons.addWidget(self.not_helpful_button)
        buttons.addWidget(self.link_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        kb.article_loaded.connect(self._loaded)
        kb.counts_changed.connect(self._counts_changed)
        self.show_article(None)

    def open(self, article_id: int) -> None:
        """Ask the service for the article (counted as a view); shown when it answers."""
        self._wanted = article_id
        self._kb.open_article(article_id)

    def set_linkable(self, linkable: bool) -> None:
        self.link_button.setVisible(linkable)

    def _loaded(self, detail: ArticleDetail | None) -> None:
        if detail is not None and detail.id == getattr(self, "_wanted", None):
            self.show_article(detail)

    def show_article(self, detail: ArticleDetail | None) -> None:
        self.detail = detail
        has = detail is not None
        for button in (self.helpful_button, self.not_helpful_button, self.link_button):
            button.setEnabled(has)
        if detail is None:
            self.title_label.setText(self.tr("Choose an article to read it here."))
            self.meta_label.clear()
            self.browser.clear()
            self.counts_label.clear()
            return
        self.title_label.setText(detail.title)
        self._show_meta(detail)
        # Numbers in the text become tel: links (the only links that do anything here).
        self.browser.setHtml(link_numbers(detail.html))
        self._show_counts(detail.counts)

    def _show_meta(self, detail: ArticleDetail) -> None:
        parts = [
            self.tr("Version %1").replace("%1", str(detail.version)),
            ", ".join(detail.product_lines),
            language_label(detail.language),
            " · ".join(f"#{tag}" for tag in detail.tags),
        ]
        self.meta_label.setText(" · ".join(p for p in parts if p))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The view's words in the language now in use (the article itself stays, scrolled
        where it was)."""
        self._texts.retranslate()
        if self.detail is None:
            self.title_label.setText(self.tr("Choose an article to read it here."))
            return
        self._show_meta(self.detail)
        self._show_counts(self.counts)

    def _anchor(self, url: QUrl) -> None:
        number = number_of_link(url.toString())
        if number:
            self.dial_requested.emit(number)

    def _counts_changed(self, article_id: int, counts: Counts) -> None:
        if self.detail is not None and self.detail.id == article_id:
            self._show_counts(counts)

    def _show_counts(self, counts: Counts) -> None:
        self.counts = counts
        text = (
            self.tr("%1 views · %2 found it helpful · %3 did not")
            .replace("%1", str(counts.views))
            .replace("%2", str(counts.helpful))
            .replace("%3", str(counts.not_helpful))
        )
        if counts.waiting:
            text += " " + self.tr("(yours not sent yet)")
        self.counts_label.setText(text)
        voted = self.detail is not None and self.detail.id in self._kb.voted
        self.helpful_button.setEnabled(not voted and self.detail is not None)
        self.not_helpful_button.setEnabled(not voted and self.detail is not None)

    def _vote(self, helpful: bool) -> None:
        if self.detail is None:
            return
        if self._kb.vote(self.detail.id, helpful):
            self.helpful_button.setEnabled(False)
            self.not_helpful_button.setEnabled(False)

    def _link(self) -> None:
        if self.detail is not None:
            self.link_requested.emit(self.detail.id, self.detail.title)


class ArticleDialog(QDialog):
    """An article in a window of its own (opened from a ticket form's suggestions)."""

    def __init__(self, kb: KbService, article_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Knowledge article"))
        self.view = ArticleView(kb)
        close = QPushButton()
        self._texts.bind(close.setText, lambda: self.tr("Close"))
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(640, 520)
        self.view.open(article_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)
