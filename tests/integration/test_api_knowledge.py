"""The knowledge base on the backend: views and votes counted without a new article version,
the counters route, the experts' report, and the asker told when their question is answered.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events


def test_views_and_votes_count_without_a_new_version(api: Api) -> None:
    article = api.ok("GET", "/kb/articles", "wangfang", limit=1)[0]
    before = api.ok("GET", "/kb/counts", "wangfang", ids=[article["id"]])["articles"][0]
    api.ok("POST", f"/kb/articles/{article['id']}/views", "wangfang", {"count": 3}, key="v-1")
    api.ok("POST", f"/kb/articles/{article['id']}/views", "wangfang", {"count": 3}, key="v-1")
    api.ok("POST", f"/kb/articles/{article['id']}/feedback", "alice", {"helpful": False})
    after = api.ok("GET", "/kb/counts", "wangfang", ids=[article["id"]])["articles"][0]
    # One user's views of an article count once a day, however many a report says.
    assert after["views"] == before["views"] + 1
    assert after["not_helpful"] == before["not_helpful"] + 1
    assert (
        api.call("POST", "/kb/articles/999999/views", "wangfang", {"count": 1}).status_code == 404
    )
    assert (
        api.call(
            "POST", f"/kb/articles/{article['id']}/views", "wangfang", {"count": 0}
        ).status_code
        == 422
    )
    counts = api.ok("GET", "/kb/counts", "wangfang")["articles"]
    assert len(counts) >= 25  # the demo knowledge base


def test_the_report_and_the_asker_told_when_answered(api: Api) -> None:
    assert api.call("GET", "/kb/stats", "wangfang").status_code == 403  # experts and leads only
    question = api.ok(
        "POST",
        "/kb/questions",
        "wangfang",
        {"text": "除颤仪自检失败", "product_line": "Patient Monitors"},
    )
    article = api.ok("GET", "/kb/articles", "wangfang", limit=1)[0]
    api.ok("POST", f"/kb/articles/{article['id']}/views", "wangfang", {"count": 5})
    api.ok("POST", f"/kb/articles/{article['id']}/feedback", "wangfang", {"helpful": False})
    api.clock.advance(timedelta(hours=3))
    stats = api.ok("GET", "/kb/stats", "zhangwei")
    assert stats["most_viewed"][0]["id"] == article["id"]
    assert stats["least_helpful"][0]["id"] == article["id"]
    assert [q["id"] for q in stats["unanswered"]] == [question["id"]]
    assert stats["unanswered"][0]["age_hours"] == 3.0
    assert stats["tickets"] > 0
    assert 0 <= stats["tickets_with_article"] <= stats["tickets"]
    answered = api.ok(
        "POST",
        f"/kb/questions/{question['id']}/answer",
        "zhangwei",
        {
            "version": question["version"],
            "answer": "长按电源键重新自检。",
            "title": "除颤仪自检失败",
        },
    )
    events = [e for e in read_events(api, "wangfang", after=0) if e["kind"] == "kb.answered"]
    assert events[-1]["data"] == {
        "question_id": question["id"],
        "article_id": answered["article_id"],
        "text": "除颤仪自检失败",
    }
    assert not [e for e in read_events(api, "alice", after=0) if e["kind"] == "kb.answered"]
    assert api.ok("GET", "/kb/stats", "zhangwei")["unanswered"] == []
