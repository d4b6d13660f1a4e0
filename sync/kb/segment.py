"""How article and query text becomes FTS5 terms: Chinese word segmentation and search forms.

SQLite's ``unicode61`` tokenizer folds case and diacritics and splits on punctuation, but it
treats a run of Chinese characters as one token, so the index cannot find 漏液 inside
泵管漏液报警. We segment with rjieba (the jieba-rs dictionary and HMM, compiled into the wheel:
nothing is downloaded at run time) and mark each word boundary with U+200B ZERO WIDTH SPACE.
``unicode61`` splits on it (it is not a letter or digit), and deleting it gives back the exact
text, so snippets come back readable, with no spaces inserted between Chinese words.

Beside the readable columns the index keeps a hidden ``terms`` column of search forms the text
does not spell out: the sub-words of long words (打印 in 打印机), the single characters of
Chinese words (泵 in 输液泵, for a query of one character) and codes without their separator
(E-17 also as e17, Wi-Fi as wifi).

Loading the dictionary takes about 0.12 s of CPU: ``Segmenter`` does it on first use, once,
under a lock. The desktop calls ``load()`` from a worker at start-up so that the first search
typed on the UI thread does not pay it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from sync.contract.kb_words import SEARCH_STOPWORDS, encodable, fold
from sync.kb.script import simplified_forms

if TYPE_CHECKING:
    import rjieba

# Words up to this length are the vocabulary homophone typos are matched against.
MAX_TYPO_WORD = 4
_PINYIN_CACHE = 200_000

BOUNDARY = "\u200b"
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
# Characters that have a meaning inside the index: never let article or query text carry them.
_RESERVED = str.maketrans("", "", BOUNDARY + HIGHLIGHT_START + HIGHLIGHT_END)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
# What unicode61 keeps in a token (letters and digits, no underscore), split by script so a
# run like "报警e17" is two pieces, as the segmenter sees it.
_PIECE = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
# A code or compound: letters/digits joined by - _ / (E-17, IP-300, wi-fi, LAN/WAN).
_COMPOUND = re.compile(r"[^\W_]+(?:[-_/][^\W_]+)+")
# A code without its separator: letters then digits (e17, ip300), or several glued together
# as agents type a model and its error (ip300e17: IP-300 and E-17).
_CODE = re.compile(r"([a-z]{1,4})(\d{1,5})")
_GLUED_CODES = re.compile(r"(?:[a-z]{1,4}\d{1,5})+")

# Words that say nothing about the problem: the contract's (the server refuses them as
# synonyms too).
STOPWORDS = SEARCH_STOPWORDS

# Words of our products the general dictionary splits or does not know; added to the
# segmenter so that index and query agree (漏液 would otherwise be 漏 + 液 in some contexts).
# fmt: off
DOMAIN_WORDS = (
    "输液泵", "注射泵", "输液器", "泵管", "漏液", "气泡", "管路", "阻塞", "堵塞", "报警",
    "报警音", "静音", "开机", "关机", "黑屏", "花屏", "白屏", "蓝屏", "死机", "重启", "卡纸",
    "进纸", "出纸", "缺纸", "硒鼓", "墨盒", "墨水", "喷头", "打印头", "碳粉", "定影", "定影器",
    "搓纸轮", "断网", "掉线", "网速", "信号", "路由器", "光猫", "指示灯", "无线", "有线",
    "监护仪", "血氧", "血压", "心电", "导联", "电极片", "袖带", "探头", "呼吸机", "潮气量",
    "气道", "管道", "漏气", "氧浓度", "氧电池", "血糖仪", "试纸", "试纸条", "采血针", "质控液",
    "校准", "电池", "充电", "适配器", "电源键", "遥控器", "机顶盒", "投屏", "登录", "密码",
    "验证码", "工号", "挂号", "医嘱", "报表", "检验单", "打印机",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One thing the user asked for: the word as typed plus the forms that also count.

    ``phrase`` is the tokens as unicode61 will split them (more than one for E-17); ``joined``
    is the separator-free form (e17) and ``alternatives`` the sub-words of a long Chinese word.
    """

    phrase: tuple[str, ...]
    joined: str = ""
    alternatives: tuple[str, ...] = ()
    cjk: bool = False
    variant: bool = False  # from the character-by-character Simplified form only


@dataclass(frozen=True, slots=True)
class IndexedText:
    """One field ready for the index: the readable text with boundaries marked, its hidden
    terms, and its Chinese words (the vocabulary homophone typos are matched against)."""

    marked: str
    terms: frozenset[str]
    words: frozenset[str] = frozenset()


class _TextExtractor(HTMLParser):
    """Plain text of an HTML body: block elements become line breaks, scripts are dropped."""

    _BLOCKS = frozenset((
        "p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
        "h6", "table", "section", "article", "pre",
    ))  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    # HTMLParser passes the attributes; we have no use for them.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(body: str) -> str:
    """The readable text of an article body, plain or HTML (tags stripped, entities decoded)."""
    if "<" not in body or ">" not in body:
        return body.translate(_RESERVED)
    extractor = _TextExtractor()
    extractor.feed(body)
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" ?\n[ \n]*", "\n", text)
    return text.strip().translate(_RESERVED)


def is_cjk(word: str) -> bool:
    return bool(word) and _CJK_RUN.fullmatch(word) is not None


def _is_word_char(char: str) -> bool:
    return char.isalnum()


class Segmenter:
    """rjieba with our product words, loaded on first use; safe to share between threads."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self._extra_words = tuple(extra_words)
        self._jieba: rjieba.Jieba | None = None
        self._lock = threading.Lock()
        self._pinyin: dict[str, str] = {}  # word -> pinyin_key (a race only recomputes one)

    def load(self) -> None:
        """Load the dictionary now (about 0.12 s): call it from a worker at start-up."""
        self._engine()
        simplified_forms("載入")  # and OpenCC's (about 5 ms)

    def pinyin(self, word: str) -> str:
        """``pinyin_key(word)``, remembered (an index build meets each word many times)."""
        known = self._pinyin.get(word)
        if known is None:
            if len(self._pinyin) >= _PINYIN_CACHE:
                self._pinyin.clear()
            known = self._pinyin[word] = pinyin_key(word)
        return known

    def _engine(self) -> rjieba.Jieba:
        engine = self._jieba
        if engine is not None:
            return engine
        with self._lock:
            if self._jieba is None:
                import rjieba  # noqa: PLC0415 - importing builds the dictionary: keep it lazy

                # Our own instance: words we add must not change rjieba's module-level default.
                engine = rjieba.Jieba()
                for word in (*DOMAIN_WORDS, *self._extra_words):
                    engine.add_word(word, None, None)
                self._jieba = engine
            return self._jieba

    def cut(self, text: str) -> list[str]:
        return self._engine().cut(text)

    def index_text(self, text: str) -> IndexedText:
        """Mark word boundaries in ``text`` and collect the hidden search forms of its words."""
        text = encodable(text)
        engine = self._engine()
        words = engine.cut(text)
        parts: list[str] = []
        terms: set[str] = set()
        previous = ""
        for word in words:
            if previous and _is_word_char(previous[-1]) and _is_word_char(word[0]):
                parts.append(BOUNDARY)
            parts.append(word)
            previous = word
            if len(word) > 1 and is_cjk(word):
                terms.update(word)  # single characters: a query of one character (泵)
            elif len(word) > 2:
                terms.update(_joined_forms(word.lower()))
        cut_words = set(words)
        for word in engine.cut_for_search(text):
            if word not in cut_words and len(word) > 1 and is_cjk(word):
                terms.add(word)  # sub-words of long words: 打印 and 印机 inside 打印机
        # Traditional text: its Simplified words too (the query is folded the same way), so
        # 印表機 is found by 打印机 and by 印表机; the readable text stays as written.
        for form in simplified_forms(text):
            for word in engine.cut(form):
                if is_cjk(word):
                    terms.add(word)
                    if len(word) > 1:
                        terms.update(word)
                        cut_words.add(word)
        vocabulary = frozenset(w for w in cut_words if 1 < len(w) <= MAX_TYPO_WORD and is_cjk(w))
        return IndexedText("".join(parts), frozenset(terms), vocabulary)

    def query_terms(self, text: str) -> tuple[list[QueryTerm], bool]:
        """The terms of a user's query, and whether its last term is still being typed.

        The query is NFKC-folded first (an IME's full-width Ｅ－１７ is E-17) and lower-cased.
        """
        folded = self.folded(text)
        engine = self._engine()
        forms = simplified_forms(folded)
        primary = forms[0] if forms else folded
        result: list[QueryTerm] = []
        words = engine.cut(primary)
        for word in words:
            result.extend(self._terms_of(engine, word))
        for form in forms[1:]:
            # Character by character where the regional phrasing chose another word (離線:
            # 脱机 first, 离线 here): an article may use either.
            for word in engine.cut(form):
                if is_cjk(word) and word not in words:
                    result.extend(replace(t, variant=True) for t in self._terms_of(engine, word))
        open_end = bool(folded) and _is_word_char(folded[-1])
        return result, open_end

    @staticmethod
    def folded(text: str) -> str:
        """NFKC (full-width Ｅ－１７ is E-17), lower case, no characters the index reserves."""
        return fold(text).translate(_RESERVED)

    def cjk_runs(self, text: str) -> list[str]:
        """The runs of Chinese characters of a query, folded to Simplified (where homophone
        typos are looked for: 卡只 may be cut as 卡 + 只)."""
        folded = self.folded(text)
        forms = simplified_forms(folded)
        return _CJK_RUN.findall(forms[0] if forms else folded)

    @staticmethod
    def _terms_of(engine: rjieba.Jieba, word: str) -> Iterator[QueryTerm]:
        pieces = _PIECE.findall(word)
        if not pieces:
            return
        if len(pieces) > 1 and not any(is_cjk(piece) for piece in pieces):
            joined = "".join(pieces)
            codes = _CODE.findall(joined)
            if len(codes) > 1 and _GLUED_CODES.fullmatch(joined):
                # IP-500E05: a model and a code typed together, each a phrase of its own.
                for letters, digits in codes:
                    yield _code(letters, digits)
                return
            # E-17, wi-fi: the phrase (as the article spells it) or the joined form (e17).
            if len(pieces) == 2 and _CODE.fullmatch(joined):
                yield _code(*pieces)  # E-3 for E-03 too
                return
            yield QueryTerm(tuple(pieces), joined=joined)
            return
        for piece in pieces:
            if piece in STOPWORDS:
                continue
            if _GLUED_CODES.fullmatch(piece):
                # E17 typed for an article that says E-17: the phrase and the joined form; a
                # model and a code typed as one (ip300e17) are two.
                for split in _CODE.finditer(piece):
                    yield _code(split.group(1), split.group(2))
            elif is_cjk(piece):
                alternatives: tuple[str, ...] = ()
                if len(piece) > 2:
                    alternatives = tuple(
                        sub for sub in engine.cut_for_search(piece) if sub != piece and len(sub) > 1
                    )
                yield QueryTerm((piece,), alternatives=alternatives, cjk=True)
            else:
                yield QueryTerm((piece,))


def _code(letters: str, digits: str) -> QueryTerm:
    """A code as typed (E17, E-3): the phrase as articles spell it, the joined form, and for
    one digit the two-digit form articles use (E3 is E-03: its joined form e03)."""
    padded = (letters + "0" + digits,) if len(digits) == 1 else ()
    return QueryTerm((letters, digits), joined=letters + digits, alternatives=padded)


def _joined_forms(word: str) -> Iterator[str]:
    for match in _COMPOUND.finditer(word):
        yield re.sub(r"[-_/]", "", match.group())


def pinyin_key(word: str) -> str:
    """The toneless pinyin of a Chinese word (花屏 and the typo 花平 both "hua ping"): what an
    IME typo keeps. pypinyin (MIT) is imported on first use."""
    import pypinyin  # noqa: PLC0415 - its tables load on first use

    return " ".join(pypinyin.lazy_pinyin(word, errors="ignore"))
