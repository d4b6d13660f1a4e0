"""Article bodies made safe to show, and cached article records made into index records.

Bodies come from the server as plain text or HTML written by experts (or pasted from vendor
manuals). The desktop shows them in a rich-text view, so they are rebuilt from an allow-list:
only harmless formatting tags survive, every attribute that can run or load something
(``on*``, ``style``, ``src`` other than ``data:``) is dropped, and the contents of script, style,
iframe and the like are thrown away with their tags. Plain text keeps its line breaks.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from sync.kb.records import Article

_ALLOWED = frozenset(
    {
        "a", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_VOID = frozenset({"br", "hr", "img"})
# Dropped with everything inside them: what they hold is code or a foreign document.
_DROPPED = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
     "template", "svg", "math", "link", "meta", "base", "form", "textarea", "select", "head",
     "title"}
)  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}  # fmt: skip
_SAFE_LINK = ("http://", "https://", "mailto:", "tel:", "#")


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skipping: list[str] = []  # open dropped elements
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            if tag not in ("link", "meta", "base"):  # void: nothing to skip to
                self._skipping.append(tag)
            return
        if self._skipping or tag not in _ALLOWED:
            return
        kept = []
        for name, value in attrs:
            if name not in _ATTRIBUTES.get(tag, set()) or value is None:
                continue
            lowered = value.strip().lower()
            if name == "href" and not lowered.startswith(_SAFE_LINK):
                continue  # javascript:, data:, vbscript:, relative paths to nowhere
            if name == "src" and not lowered.startswith("data:image/"):
                continue  # a remote image would tell a tracker who read what, and when
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "img" and not any(k.startswith(" src=") for k in kept):
            return
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in _DROPPED:
            self.handle_starttag(tag, attrs)
            if tag in self._skipping and self._skipping[-1] == tag:
                self._skipping.pop()
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in self._open:
            while self._open:
                top = self._open.pop()
                self.out.append(f"</{top}>")
                if top == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.out.append(html.escape(data, quote=False))

    def close(self) -> None:
        super().close()
        self.out.extend(f"</{tag}>" for tag in reversed(self._open))
        self._open.clear()


def looks_like_html(body: str) -> bool:
    return "<" in body and ">" in body


def safe_html(body: str) -> str:
    """The body as HTML that can run nothing and load nothing from outside."""
    if not looks_like_html(body):
        paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return "".join(
            "<p>" + html.escape(p.strip(), quote=False).replace("\n", "<br>") + "</p>"
            for p in paragraphs
        )
    sanitiser = _Sanitiser()
    sanitiser.feed(body)
    sanitiser.close()
    return "".join(sanitiser.out)


def article_from_record(data: dict[str, Any]) -> Article | None:
    """The index's view of a cached ``article`` record; None for one not to be found (a draft
    an expert can see, a record without an id)."""
    article_id = data.get("id")
    if not isinstance(article_id, int) or data.get("status", "published") != "published":
        return None
    lines = [str(line) for line in data.get("product_lines") or [] if line]
    return Article(
        id=article_id,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        tags=tuple(str(tag) for tag in data.get("tags") or [] if tag),
        # The index files an article under one product line: its first (the seed and the
        # experts' answers give one).
        product_line=lines[0] if lines else "",
        language=str(data.get("language") or ""),
        version=int(data.get("version") or 1),
        asked=tuple(str(text) for text in data.get("asked") or [] if text),
    )
