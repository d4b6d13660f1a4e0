"""Reports over the real API (SQLite and PostgreSQL): numbers checked against a small day
counted by hand, including a call that crosses midnight and intervals without calls; the
scope (an agent only their own figures, a lead only their team); poison filters.

The day D is Wednesday 2026-06-10 in the centre's zone (Asia/Shanghai, UTC+8), far from the
demo's own call history (the five weeks before 2026-11-02). Calls are written through
``POST /interactions`` as the desks write them (with the 1.8 fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from server_stub.models import AssetRow, CustomerRow, DispatchRow, TaskRow, TicketRow, UserRow
from sync.contract.reports import (
    DrillPage,
    HandlingReport,
    PeopleReport,
    ReportDimensions,
    ServiceReport,
    TrafficReport,
)
from sync.contract.wallboard import centre_zone
from tests.integration.conftest import Api

ZONE = centre_zone()
D = date(2026, 6, 10)
DAY = {"date_from": "2026-06-10", "date_to": "2026-06-10"}
TWO_DAYS = {"date_from": "2026-06-10", "date_to": "2026-06-11"}


def at(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), ZONE)


@dataclass
class Day:
    team0: int
    team1: int
    customers: list[int]  # team 0's
    other_customer: int  # team 1's
    wangfang: int
    alice: int


def _call(
    api: Api,
    user: str,
    started: datetime,
    *,
    customer: int | None,
    wait: int,
    talk: int = 0,
    hold: int = 0,
    wrap: int = 0,
    transfers: int = 0,
    answered: bool = True,
    kind: str = "call_in",
) -> None:
    answered_at = started + timedelta(seconds=wait) if answered else None
    ended = started + timedelta(seconds=wait + (talk + hold if answered else 0))
    api.ok(
        "POST",
        "/interactions",
        user,
        {
            "customer_id": customer,
            "kind": kind,
            "started_at": started.isoformat(),
            "answered_at": None if answered_at is None else answered_at.isoformat(),
            "ended_at": ended.isoformat(),
            "talk_s": talk if answered else 0,
            "hold_s": hold if answered else 0,
            "wrap_up_s": wrap,
            "transfers": transfers,
            "queue": "",
            "disposition": "resolved" if answered else "abandoned",
        },
    )


@pytest.fixture
def day(api: Api) -> Day:
    team0, team1 = api.team_of("wangfang"), api.team_of("lina")
    with api.database.session() as session:
        ids = {
            team: list(
                session.scalars(
                    select(CustomerRow.id)
                    .where(CustomerRow.team_id == team)
                    .order_by(CustomerRow.id)
                )
            )
            for team in (team0, team1)
        }
        users = {name: uid for name, uid in session.execute(select(UserRow.username, UserRow.id))}
    c1, c2, c3, c4 = ids[team0][:4]
    # wangfang, team 0, on D:
    _call(api, "wangfang", at(D, 9, 0), customer=c1, wait=10, talk=300, hold=20, wrap=30)
    _call(api, "wangfang", at(D, 9, 5), customer=c2, wait=20, talk=200, wrap=40, transfers=1)
    _call(api, "wangfang", at(D, 9, 20), customer=c3, wait=45, talk=100)
    _call(api, "wangfang", at(D, 10, 0), customer=c1, wait=5, talk=60)  # c1 again: 1 not FCR
    _call(api, "wangfang", at(D, 10, 30), customer=None, wait=8, answered=False)
    _call(api, "wangfang", at(D, 10, 31), customer=c2, wait=40, answered=False)  # 2 not FCR
    _call(api, "wangfang", at(D, 14, 0), customer=c1, wait=12, talk=120, kind="call_out")
    # 23:58 to 00:08 the next day: D's call, and c3 again (3 not FCR).
    _call(api, "wangfang", at(D, 23, 58), customer=c3, wait=15, talk=600)
    # alice, team 0, on D; her caller rings again after midnight (abandoned after 130 s).
    _call(api, "alice", at(D, 11, 0), customer=c4, wait=25, talk=180)
    _call(api, "alice", at(D + timedelta(days=1), 0, 30), customer=c4, wait=130, answered=False)
    # lina, team 1, on D.
    _call(api, "lina", at(D, 9, 10), customer=ids[team1][0], wait=3, talk=90)
    return Day(team0, team1, [c1, c2, c3, c4], ids[team1][0], users["wangfang"], users["alice"])


def _get(api: Api, path: str, user: str, **params: Any) -> Any:
    answer = api.get(path, user, **params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def traffic(api: Api, user: str, **params: Any) -> TrafficReport:
    return TrafficReport.read(_get(api, "/reports/traffic", user, **params))


def test_traffic_of_a_day_counted_by_hand(api: Api, day: Day) -> None:
    report = traffic(api, "zhangwei", **TWO_DAYS)  # the lead of team 0
    first, second = report.periods
    assert first.start == at(D, 0, 0)
    assert (first.offered, first.answered, first.abandoned) == (8, 6, 2)
    assert first.abandoned_after == [1, 0, 1, 0, 0]  # 8 s; 40 s
    assert first.answered_within == 4  # 10 s, 20 s (exactly the threshold), 5 s, 15 s
    assert first.service_level == pytest.approx(0.5)
    assert first.answer_rate == pytest.approx(0.75)
    assert first.outbound == 1
    assert first.average_answer_s == pytest.approx((10 + 20 + 45 + 5 + 15 + 25) / 6)
    # D+1: only alice's caller who gave up after 130 s (the 23:58 call stays on D).
    assert (second.offered, second.answered, second.abandoned_after) == (1, 0, [0, 0, 0, 0, 1])
    assert report.totals.offered == 9
    assert report.answer_within_s == 20
    wednesday = {(c.weekday, c.hour): c.offered for c in report.heatmap}
    assert len(report.heatmap) == 168
    assert wednesday[2, 9] == 3
    assert wednesday[2, 23] == 1
    assert wednesday[3, 0] == 1
    assert sum(wednesday.values()) == 9


def test_fifteen_minute_periods_include_the_empty_ones(api: Api, day: Day) -> None:
    report = traffic(api, "zhangwei", granularity="interval", **DAY)
    assert len(report.periods) == 96
    by_start = {p.start: p.offered for p in report.periods}
    assert by_start[at(D, 9, 0)] == 2  # 09:00 and 09:05
    assert by_start[at(D, 9, 15)] == 1
    assert by_start[at(D, 9, 30)] == 0  # an interval without calls is listed
    assert by_start[at(D, 23, 45)] == 1
    assert sum(by_start.values()) == 8


def test_weeks_and_months_fold_the_days(api: Api, day: Day) -> None:
    weekly = traffic(api, "zhangwei", granularity="week", **TWO_DAYS)
    assert [p.start for p in weekly.periods] == [at(date(2026, 6, 8), 0, 0)]  # Monday
    assert weekly.periods[0].offered == 9
    monthly = traffic(
        api, "zhangwei", granularity="month", date_from="2026-05-20", date_to="2026-06-30"
    )
    assert [(p.start.date(), p.offered) for p in monthly.periods] == [
        (date(2026, 5, 1), 0),
        (date(2026, 6, 1), 9),
    ]


def test_handling_and_first_contact_resolution(api: Api, day: Day) -> None:
    report = HandlingReport.read(_get(api, "/reports/handling", "zhangwei", **DAY))
    total = report.totals
    assert total.handled == 7  # six answered inbound + one outbound
    assert (total.talk_s, total.hold_s, total.wrap_up_s) == (1560, 20, 70)
    assert (total.transferred, total.transfers) == (1, 1)
    # Answered inbound calls from known customers: 6. Followed by another call from the same
    # customer within 7 days: 09:00 (c1 at 10:00), 09:05 (c2 at 10:31), 09:20 (c3 at 23:58),
    # alice's 11:00 (c4 after midnight). Resolved at first contact: 10:00 and 23:58.
    assert total.contacts == 6
    assert total.first_contact_resolved == 2
    assert total.fcr_rate == pytest.approx(2 / 6)
    assert total.repeat_callers == 4
    assert report.periods[0].first_contact_resolved == 2


def test_an_agent_sees_only_their_own_figures_whatever_they_ask(api: Api, day: Day) -> None:
    mine = traffic(api, "wangfang", **DAY)
    assert (mine.totals.offered, mine.totals.answered) == (7, 5)
    assert mine.filter.agent_id == day.wangfang
    for sneaky in ({"agent_id": day.alice}, {"team_id": day.team1}):
        forced = traffic(api, "wangfang", **DAY, **sneaky)
        assert forced.totals.offered == 7
        assert forced.filter.agent_id == day.wangfang
    people = PeopleReport.read(_get(api, "/reports/people", "wangfang", **DAY))
    assert [a.agent_id for a in people.agents] == [day.wangfang]
    assert people.agents[0].handled == 6  # five answered inbound and one outbound
    dims = ReportDimensions.read(_get(api, "/reports/dimensions", "wangfang"))
    assert dims.own_only
    assert [a.id for a in dims.agents] == [day.wangfang]


def test_a_lead_sees_only_their_team(api: Api, day: Day) -> None:
    assert traffic(api, "liuyang", **DAY).totals.offered == 1  # team 1's lead: lina's call
    refused = api.get("/reports/traffic", "liuyang", team_id=day.team0, **DAY)
    assert refused.status_code == 403
    refused = api.get("/reports/people", "liuyang", agent_id=day.wangfang, **DAY)
    assert refused.status_code == 403
    people = PeopleReport.read(_get(api, "/reports/people", "zhangwei", **DAY))
    assert {a.agent_id for a in people.agents} == {day.wangfang, day.alice}
    assert traffic(api, "admin", **DAY).totals.offered == 9  # every team


def test_drill_down_lists_the_calls_behind_a_number(api: Api, day: Day) -> None:
    page = DrillPage.read(_get(api, "/reports/drill", "zhangwei", measure="abandoned", **TWO_DAYS))
    assert page.total == 3
    assert [c.agent_id for c in page.interactions] == [day.wangfang, day.wangfang, day.alice]
    one = DrillPage.read(
        _get(
            api,
            "/reports/drill",
            "zhangwei",
            measure="repeat",
            limit=2,
            offset=1,
            **DAY,
        )
    )
    assert one.total == 4
    assert len(one.interactions) == 2
    evening = DrillPage.read(
        _get(
            api,
            "/reports/drill",
            "zhangwei",
            measure="offered",
            period=at(D, 23, 45).isoformat(),
            granularity="interval",
            **DAY,
        )
    )
    assert [c.started_at for c in evening.interactions] == [at(D, 23, 58)]


def test_service_counted_by_hand(api: Api, day: Day) -> None:
    now = api.clock.now()
    with api.database.session() as session:
        asset = session.scalar(select(AssetRow.id).where(AssetRow.customer_id == day.customers[0]))
        if asset is None:
            asset = session.execute(
                insert(AssetRow).returning(AssetRow.id),
                {
                    "customer_id": day.customers[0],
                    "team_id": day.team0,
                    "product_line": "Printers",
                    "model": "LJ-2200",
                    "serial_number": "TEST-0001",
                    "purchase_date": date(2025, 1, 1),
                    "warranty_end": date(2027, 1, 1),
                    "consumables": [],
                    "version": 1,
                    "updated_at": now,
                },
            ).scalar_one()
        model = session.scalar(select(AssetRow.model).where(AssetRow.id == asset))

        def ticket(
            n: int,
            category: str,
            opened: datetime,
            due: datetime,
            closed: datetime | None,
            **extra: Any,
        ) -> int:
            values = {
                "number": f"RPT-{n}",
                "customer_id": day.customers[0],
                "team_id": day.team0,
                "handler_id": day.wangfang,
                "channel": "phone",
                "category": category,
                "status": "closed" if closed else "in_progress",
                "complaint": category == "complaint",
                "summary": category,
                "opened_at": opened,
                "closed_at": closed,
                "resolve_due_at": due,
                "asset_id": asset,
                "region": "华东",
                "version": 1,
                "updated_at": now,
                **extra,
            }
            return int(
                session.execute(insert(TicketRow).returning(TicketRow.id), values).scalar_one()
            )

        fault = ticket(1, "fault", at(D, 10, 0), at(D, 10, 0) + timedelta(hours=48), at(D, 20, 0))
        late = ticket(
            2,
            "complaint",
            at(D, 11, 0),
            at(D, 11, 0) + timedelta(hours=24),
            at(D, 11, 0) + timedelta(hours=30),
            escalation_level=1,
        )
        ticket(
            3,
            "consultation",
            at(D, 12, 0),
            at(D, 12, 0) + timedelta(hours=48),
            None,
            article_ids=[1],
        )
        first = session.execute(
            insert(DispatchRow).returning(DispatchRow.id),
            {
                "ticket_id": fault,
                "team_id": day.team0,
                "technician": "张工",
                "result": "not_resolved",
                "window_start": at(D + timedelta(days=1), 9, 0),
                "window_end": at(D + timedelta(days=1), 11, 0),
                "method": "onsite",
                "status": "done",
                "version": 1,
                "updated_at": now,
            },
        ).scalar_one()
        session.execute(
            insert(DispatchRow),
            {
                "ticket_id": fault,
                "team_id": day.team0,
                "technician": "张工",
                "result": "resolved",
                "window_start": at(D + timedelta(days=3), 9, 0),
                "window_end": at(D + timedelta(days=3), 11, 0),
                "method": "onsite",
                "status": "done",
                "previous_dispatch_id": first,
                "version": 1,
                "updated_at": now,
            },
        )
        for ticket_id, status, code, score in (
            (fault, "done", "reached", 4),
            (late, "unreachable", "no_answer", None),
        ):
            session.execute(
                insert(TaskRow),
                {
                    "kind": "callback",
                    "customer_id": day.customers[0],
                    "ticket_id": ticket_id,
                    "team_id": day.team0,
                    "due_at": at(D + timedelta(days=2), 10, 0),
                    "status": status,
                    "outcome_code": code,
                    "satisfaction": score,
                    "version": 1,
                    "updated_at": now,
                },
            )
        session.commit()
    report = ServiceReport.read(_get(api, "/reports/service", "zhangwei", **DAY))
    totals = report.totals
    assert (totals.opened, totals.resolved, totals.resolved_in_time) == (3, 2, 1)
    assert totals.overdue == 2  # the complaint closed late; the consultation open past due
    assert totals.sla_compliance == pytest.approx(0.5)
    assert (totals.complaints, totals.escalated) == (1, 1)
    assert [c.key for c in report.by_category] == ["complaint", "consultation", "fault"]
    assert [(m.key, m.opened) for m in report.by_model] == [(model, 3)]
    assert [(r.key, r.opened) for r in report.by_region] == [("华东", 3)]
    assert (report.dispatches, report.first_visits, report.first_visit_fixed) == (2, 1, 0)
    assert (report.callbacks, report.callbacks_reached) == (2, 1)
    assert report.average_satisfaction == pytest.approx(4.0)
    assert (report.kb_questions, report.kb_answered) == (1, 1)
    overdue = DrillPage.read(
        _get(api, "/reports/drill", "zhangwei", measure="tickets_overdue", **DAY)
    )
    assert [t.number for t in overdue.tickets] == ["RPT-2", "RPT-3"]
    people = PeopleReport.read(_get(api, "/reports/people", "zhangwei", **DAY))
    mine = next(a for a in people.agents if a.agent_id == day.wangfang)
    assert (mine.satisfaction_count, mine.satisfaction_sum) == (1, 4)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-06-11", "date_to": "2026-06-10"}, "date_to"),  # inverted
        ({"date_from": "2000-01-01", "date_to": "2049-12-31"}, "date_to"),  # 50 years
        (
            {"date_from": "2026-01-01", "date_to": "2026-03-01", "granularity": "interval"},
            "date_to",
        ),
        ({"date_from": "1800-01-01", "date_to": "1800-01-02"}, "date_from"),
        ({"date_from": "2026-06-10", "date_to": "2026-06-10", "queue": "a\x00b"}, "queue"),
        ({"date_from": "2026-06-10", "date_to": "not a day"}, "date_to"),
        (
            {"date_from": "2026-06-10", "date_to": "2026-06-10", "granularity": "year"},
            "granularity",
        ),
    ],
)
def test_poison_filters_get_a_clear_422(api: Api, params: dict[str, str], field: str) -> None:
    answer = api.get("/reports/traffic", "admin", **params)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert field in (body.get("field") or "") + body["message"], body


def test_an_unknown_team_or_agent_is_a_404(api: Api) -> None:
    assert api.get("/reports/traffic", "admin", team_id=999_999, **DAY).status_code == 404
    assert api.get("/reports/people", "admin", agent_id=999_999, **DAY).status_code == 404


def test_a_technician_may_not_read_reports(api: Api) -> None:
    answer = api.get("/reports/traffic", "zhanggong", **DAY)
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"measure": "abandoned", "period": "2026-06-10T09:00:00"}, "period"),  # no zone
        ({"measure": "abandoned", "period": "0001-01-01T00:00:00+08:00"}, "period"),
        ({"measure": "abandoned", "limit": 100_000}, "limit"),
        ({"measure": "everything"}, "measure"),
        ({"measure": "tickets_opened", "key": "x\x00"}, "key"),
    ],
)
def test_poison_drill_downs_get_a_clear_422(api: Api, params: dict[str, Any], field: str) -> None:
    # (Not api.get: its ``key`` is the Idempotency-Key.)
    answer = api.client.get(
        "/api/v1/reports/drill", params={**DAY, **params}, headers=api.headers("admin")
    )
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert field in (body.get("field") or "") + body["message"], body
