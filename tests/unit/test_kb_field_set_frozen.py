"""The field evaluation set for knowledge-base search (tests/data/kb/queries_field.json) is
frozen: its hash matches, it keeps its minimum size and categories, and every label points at a
real article. No search is run here; the set was written from the corpus alone, before tuning."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

KB = Path(__file__).resolve().parents[1] / "data" / "kb"
SET_FILE = KB / "queries_field.json"
HASH_FILE = KB / "queries_field.sha256"

ANSWERABLE_CATEGORIES = (
    "traditional",
    "colloquial",
    "typo",
    "synonym",
    "code",
    "short",
    "pasted",
    "english",
    "mixed",
)
UNANSWERABLE = "unanswerable"
FIELDS = {"query", "expected", "filters", "category", "note"}


def load_set() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(SET_FILE.read_text("utf-8"))
    return records


def article_ids() -> set[int]:
    articles: list[dict[str, Any]] = json.loads((KB / "articles.json").read_text("utf-8"))
    return {int(record["id"]) for record in articles}


def test_hash_matches_the_frozen_file() -> None:
    digest, name = HASH_FILE.read_text("ascii").split()
    assert name == SET_FILE.name
    assert hashlib.sha256(SET_FILE.read_bytes()).hexdigest() == digest


def test_records_have_exactly_the_documented_fields() -> None:
    for record in load_set():
        assert set(record) == FIELDS, record
        assert isinstance(record["query"], str)
        assert record["query"].strip() == record["query"]
        assert record["query"]
        assert isinstance(record["expected"], list)
        assert all(isinstance(i, int) for i in record["expected"])
        assert isinstance(record["filters"], dict)
        assert isinstance(record["note"], str)
        assert record["note"]
        assert "\n" not in record["note"]


def test_minimum_sizes() -> None:
    records = load_set()
    answerable = [r for r in records if r["category"] != UNANSWERABLE]
    unanswerable = [r for r in records if r["category"] == UNANSWERABLE]
    assert len(answerable) >= 150
    assert len(unanswerable) >= 20


@pytest.mark.parametrize("category", ANSWERABLE_CATEGORIES)
def test_each_category_is_present(category: str) -> None:
    counts = Counter(r["category"] for r in load_set())
    assert counts[category] >= 15


def test_only_known_categories() -> None:
    known = {*ANSWERABLE_CATEGORIES, UNANSWERABLE}
    assert {r["category"] for r in load_set()} <= known


def test_every_expected_id_exists_in_the_corpus() -> None:
    ids = article_ids()
    for record in load_set():
        assert set(record["expected"]) <= ids, record["query"]
        assert len(set(record["expected"])) == len(record["expected"]), record["query"]


def test_no_duplicate_queries() -> None:
    queries = [r["query"] for r in load_set()]
    duplicates = [q for q, n in Counter(queries).items() if n > 1]
    assert not duplicates


def test_answerable_and_unanswerable_labels_are_consistent() -> None:
    for record in load_set():
        if record["category"] == UNANSWERABLE:
            assert record["expected"] == [], record["query"]
        else:
            assert record["expected"], record["query"]
