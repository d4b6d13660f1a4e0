"""Knowledge-base search as agents really type (issue 25), on the shipped corpus: the field
evaluation set (tests/data/kb/queries_field.json, written apart from the corpus and frozen
before tuning) by category, "no good match", and each way of typing on its own. No Qt."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.cache import open_cache
from sync.contract.wire import ChangeOut
from sync.kb import Article, KbIndex, Segmenter
from sync.kb.index import FORMAT
from sync.kb.query import MAX_TERMS
from sync.kb.records import KbHit, MatchQuality
from sync.kb.store import KbStore
from tests.data.kb.make_corpus import HERE
from tests.unit.test_kb_search import ARTICLES, QUERIES, article

FIELD: list[dict[str, Any]] = json.loads((HERE / "queries_field.json").read_text("utf-8"))
LANGUAGE = {record["id"]: record["language"] for record in ARTICLES}
# Every problem is written twice, Chinese (odd id) and English (the next id): an agent needs
# one of the pair, so recall counts problems, not files.
PROBLEM = {i: i if LANGUAGE[i] == "zh" else i - 1 for i in LANGUAGE}
RECORDS = {record["id"]: record for record in ARTICLES}


@pytest.fixture(scope="module")
def kb() -> Iterator[KbIndex]:
    db = sqlite3.connect(":memory:")
    index = KbIndex(db, Segmenter())
    index.ensure_schema()
    index.index(article(record) for record in ARTICLES)
    yield index
    db.close()


def ids(hits: list[KbHit]) -> list[int]:
    return [hit.article_id for hit in hits]


def scores(kb: KbIndex, queries: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """recall@5 (problems), recall@1, and the share flagged "no good match", by category."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for query in queries:
        hits = kb.search(query["query"], limit=10, **query.get("filters", {}))
        flagged = MatchQuality.of(hits[:5]) is MatchQuality.NONE
        category = query.get("category", "original")
        row = sums[category]
        row[0] += 1
        row[3] += flagged
        if query["expected"]:
            expected = set(query["expected"])
            problems = {PROBLEM[i] for i in expected}
            found = {PROBLEM[i] for i in ids(hits)[:5] if i in expected}
            row[1] += len(found) / min(5, len(problems))
            row[2] += bool(hits) and hits[0].article_id in expected
    return {
        category: {"n": n, "recall@5": r5 / n, "recall@1": r1 / n, "flagged": f / n}
        for category, (n, r5, r1, f) in sums.items()
    }


def test_the_field_set_scores_the_aim_and_each_category_is_reported(kb: KbIndex) -> None:
    answerable = [q for q in FIELD if q["expected"]]
    by_category = scores(kb, answerable)
    total = scores(kb, [{**q, "category": "all"} for q in answerable])["all"]
    assert total["recall@5"] >= 0.95, by_category
    assert total["recall@1"] >= 0.85, by_category
    for category, figures in by_category.items():
        assert figures["recall@5"] >= 0.9, (category, figures)


def test_the_original_set_stays_perfect(kb: KbIndex) -> None:
    figures = scores(kb, QUERIES)["original"]
    assert (figures["recall@5"], figures["recall@1"]) == (1.0, 1.0)
    assert figures["flagged"] == 0


def test_no_good_match_is_said_for_questions_the_corpus_cannot_answer(kb: KbIndex) -> None:
    """Measured, not the aim: the issue asks for >= 80 % of the unanswerable flagged with
    <= 5 % of the answerable; lexical match quality with the missing-code rule reaches 46 %
    and 7 % on the field set (README). These bounds keep what was reached from sliding back."""
    unanswerable = scores(kb, [{**q, "category": "u"} for q in FIELD if not q["expected"]])["u"]
    answerable = scores(kb, [{**q, "category": "a"} for q in FIELD if q["expected"]])["a"]
    assert unanswerable["n"] >= 20
    assert unanswerable["flagged"] >= 0.45, unanswerable
    assert answerable["flagged"] <= 0.08, answerable


@pytest.mark.parametrize(
    ("typed", "means"),
    [
        ("印表機一直卡紙", "卡纸"),  # Traditional and Taiwan wording
        ("無線列印顯示印表機離線", "离线"),
        ("屏幕花平", "花屏"),  # homophone typos, corrected by pinyin against the index
        ("输液泵漏夜", "漏液"),
        ("打印机老卡只", "卡纸"),  # 卡只 is cut as 卡 + 只: the window is what is heard
        ("打印机一直夹纸", "卡纸"),  # a spoken form
        ("网慢", "网速慢"),
    ],
)
def test_how_agents_type_finds_the_article_that_says_it(
    kb: KbIndex, typed: str, means: str
) -> None:
    [best] = kb.search(typed, limit=1, prefer_language="zh")
    record = RECORDS[best.article_id]
    assert means in record["title"] + " ".join(record["tags"]), (typed, best.title)
    assert MatchQuality.of([best]) is not MatchQuality.NONE


def test_glued_and_full_width_codes_are_split_like_the_articles_write_them(kb: KbIndex) -> None:
    for typed in ("IP300E17", "ip300 e17", "ＩＰ３００Ｅ１７", "IP-300E17"):
        top = kb.search(typed, limit=2)
        assert {hit.article_id for hit in top} == {1001, 1002}, typed


def test_the_agents_language_comes_first_for_a_code_alone(kb: KbIndex) -> None:
    assert kb.search("E-17", limit=1, prefer_language="zh")[0].language == "zh"
    assert kb.search("E-17", limit=1, prefer_language="en")[0].language == "en"
    # A language filter still wins.
    assert kb.search("E-17", limit=1, language="en", prefer_language="zh")[0].language == "en"


def test_a_pasted_email_keeps_its_code_and_drops_its_greeting(kb: KbIndex) -> None:
    pasted = (
        "您好，麻烦您帮忙看一下，我们科室昨天刚换了新的一批耗材，护士们说一直有问题，"
        "今天早上开始更严重了，病人家属也很着急，谢谢您！设备是 IP-300，屏幕上显示 E-17。"
    )
    expression = kb.match_expression(pasted)
    assert '"e 17"' in expression
    assert "您好" not in expression
    assert "谢谢" not in expression
    assert kb.search(pasted, limit=1)[0].article_id in (1001, 1002)


def test_a_lone_negation_ranks_nothing(kb: KbIndex) -> None:
    assert kb.search("不", limit=5) == []
    assert "不" not in kb.match_expression("洗衣机不脱水")


def test_an_index_of_an_older_format_is_dropped_for_a_rebuild() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE kb_fts USING fts5(title, body)")  # a first-release index
    db.execute("INSERT INTO kb_fts (rowid, title, body) VALUES (1, 'old', 'row')")
    index = KbIndex(db, Segmenter())
    index.ensure_schema()
    assert index.count() == 0  # the reconcile at start fills it from the cached articles
    assert db.execute("SELECT value FROM kb_meta WHERE key = 'format'").fetchone() == (FORMAT,)
    index.index([Article(1, "输液泵报警", "正文", ("报警",), "infusion-pump", "zh")])
    index.ensure_schema()  # the same format: kept
    assert index.count() == 1
    db.close()


def test_a_question_kept_with_an_article_is_searched_like_its_title() -> None:
    db = sqlite3.connect(":memory:")
    index = KbIndex(db, Segmenter())
    index.ensure_schema()
    asked = ("三床那台半夜哔哔叫个不停",)
    index.index([
        Article(1, "输液泵堵塞报警处理", "检查管路是否打折。", ("堵塞",), "pump", "zh", 2, asked),
        Article(2, "病人睡不着怎么办", "夜里保持安静。", (), "ward", "zh"),
    ])  # fmt: skip
    assert ids(index.search("三床那台半夜哔哔叫个不停", limit=2))[0] == 1
    db.close()


def test_an_index_of_a_newer_desk_is_kept() -> None:
    """A desk rolled back to this release does not rebuild a newer desk's index at each start."""
    db = sqlite3.connect(":memory:")
    index = KbIndex(db, Segmenter())
    index.ensure_schema()
    index.index([Article(1, "输液泵报警", "正文", ("报警",), "infusion-pump", "zh")])
    db.execute("UPDATE kb_meta SET value = '99' WHERE key = 'format'")
    db.commit()
    index.ensure_schema()
    assert index.count() == 1
    db.close()


def test_a_long_paste_is_cut_to_what_says_most_before_the_costly_steps(kb: KbIndex) -> None:
    pasted = "".join(record["body"] for record in ARTICLES if record["language"] == "zh")[:10_000]
    groups = kb._groups(pasted + " IP-300 E-17", prefix=False)
    assert len(groups) <= MAX_TERMS
    assert any(("e", "17") in group.alternatives for group in groups)  # the code stays
    assert kb.search("打印\ud800卡纸", limit=1)  # a lone surrogate: searched without it


def test_a_synonym_queued_for_removal_is_no_longer_used(tmp_path: Path) -> None:
    """Removed offline: gone from the desk's searches at once, before the server confirms."""
    cache = open_cache(tmp_path / "cache.sqlite", "test|agent").cache
    try:
        data = {"id": 7, "spoken": "哔哔叫", "words": ["报警"], "version": 1}
        upsert = ChangeOut(seq=1, entity="kb_synonym", id=7, op="upsert", version=1, data=data)
        cache.apply_changes([upsert], 1).result(timeout=5)
        reader = sqlite3.connect(cache.path)
        try:
            assert [s.spoken for s in KbStore(reader).synonyms()] == ["哔哔叫"]
            cache.delete("kb_synonym", 7).result(timeout=5)
            assert KbStore(reader).synonyms() == []
        finally:
            reader.close()
    finally:
        cache.close()


def test_synonym_targets_go_through_the_query_steps(kb: KbIndex) -> None:
    """A code as a target is a phrase (e-17), a stopword as a target is nothing, and a Latin
    spoken form is a whole word ("x" is not in "fax")."""
    own = KbIndex(kb._db, kb.segmenter, synonyms={"代码十七": ("E-17",), "x": ("卡纸",),
                                                   "哐哐": ("的",)})  # fmt: skip
    best = own.search("代码十七", limit=1)[0]
    assert best.article_id in (1001, 1002, 1003, 1004)
    assert MatchQuality.of([best]) is not MatchQuality.NONE
    assert "卡纸" not in own.match_expression("fax machine")
    assert "的" not in own.match_expression("哐哐")


def test_a_code_no_article_holds_says_no_good_match(kb: KbIndex) -> None:
    """The articles that share the other words are about other codes: E-09 is in none."""
    for typed in (
        "输液泵显示 E-09 是什么故障",
        "IP-300 E09",
        "how do I turn on IPv6 on the router",
    ):
        assert MatchQuality.of(kb.search(typed, limit=5)) is MatchQuality.NONE, typed
    assert MatchQuality.of(kb.search("输液泵显示 E-17 是什么故障", limit=5)) is MatchQuality.GOOD
    # A quantity is not a code: the broadband article still answers a 500M plan's speed.
    assert "500m" in kb.match_expression("宽带500M测速只有三四十兆")
    assert MatchQuality.of(kb.search("宽带500M测速只有三四十兆", limit=5)) is not MatchQuality.NONE


def test_a_one_digit_code_finds_the_article_that_writes_two(kb: KbIndex) -> None:
    for typed in ("ip300 e3", "IP-300 E-3", "e3 泵门"):
        best = kb.search(typed, limit=1, prefer_language="zh")[0]
        # 泵门关不上，一直提示 E-03 (IP-300), or its English translation
        assert best.article_id in (1021, 1022), (typed, best.title)
        assert MatchQuality.of([best]) is MatchQuality.GOOD


def test_the_agents_language_never_lifts_an_article_that_answers_less(kb: KbIndex) -> None:
    """English words typed on a Chinese desk: the English article answers them, its Chinese
    translation holds only the code, so it stays below."""
    hits = kb.search("pump door will not latch E-03", limit=5, prefer_language="zh")
    assert hits[0].article_id == 1022
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    # A code alone: both answer it, the agent's language first (rows compared by quality).
    assert kb.search("E-03", limit=1, prefer_language="zh")[0].language == "zh"


def test_the_search_reads_no_bm25_figure_back(kb: KbIndex) -> None:
    """FTS5 orders by rank internally; selecting rank or bm25() makes it walk every query
    word's postings a second time (+25 % on 100,000 articles: bench/bench_kb.py)."""
    statements: list[str] = []
    kb._db.set_trace_callback(statements.append)
    try:
        assert kb.search("输液泵 E-17 报警", limit=5, prefer_language="zh")
    finally:
        kb._db.set_trace_callback(None)
    [main] = [sql for sql in statements if "MATCH" in sql]
    selected = main.split("FROM kb_fts WHERE")[0]
    assert "rank" not in selected
    assert "bm25" not in main
    assert "ORDER BY rank" in main
