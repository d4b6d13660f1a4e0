"""The customer portal over HTTP (the app in process, seeded database): sign-in by SMS code
read from the test gateway, a problem registered with a photo lands in the team's queue as a
portal ticket the agents' API lists and resolves, the customer rates it; access rules, CSRF,
rate limits, opt-out, complaints' clock and poison input."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from server_stub.sms.gateway import RecordingSmsGateway
from tests.integration.conftest import Api

ZHAO = "+8613800138000"  # 赵敏, a seeded contact
SUN = "+8613700137000"  # 孙磊, another customer's contact
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _gateway(api: Api) -> RecordingSmsGateway:
    gateway = api.client.app.state.sms_gateway  # type: ignore[attr-defined]
    assert isinstance(gateway, RecordingSmsGateway)
    return gateway


def sign_in(api: Api, phone: str) -> str:
    api.client.cookies.clear()
    token = _token(api.client.get("/portal/sign-in"))
    sent = api.client.post("/portal/code", data={"phone": phone, "form_token": token})
    assert sent.status_code == 200, sent.text
    code = re.search(r"\b(\d{6})\b", _gateway(api).messages(phone)[-1].text)
    assert code
    done = api.client.post(
        "/portal/verify",
        data={"phone": phone, "code": code.group(1), "form_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return token


def register(api: Api, token: str, description: str, photo: bytes = PNG) -> httpx.Response:
    return api.client.post(
        "/portal/new",
        data={"form_token": token, "summary": "屏幕花屏", "description": description, "serial": ""},
        files={"photos": ("screen.png", photo, "image/png")},
        follow_redirects=False,
    )


def test_a_problem_registered_resolved_and_rated(api: Api) -> None:
    token = sign_in(api, ZHAO)
    page = api.client.get("/portal/tickets")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    done = register(api, token, "打印机开机后屏幕花屏")
    assert done.status_code == 303
    number = re.search(r"registered=([^&]+)", done.headers["location"])
    assert number
    number_text = httpx.URL(done.headers["location"]).params["registered"]
    api.client.app.state.sms_sender.send()  # type: ignore[attr-defined]  # no rounds here
    assert _gateway(api).messages(ZHAO)[-1].text.count(number_text) == 1  # the SMS names it
    tickets = api.ok("GET", "/tickets", "zhangwei", limit=200)
    ticket = next(t for t in tickets if t["number"] == number_text)
    assert ticket["channel"] == "portal"
    assert ticket["attachments"] == [{"name": "screen.png", "size": len(PNG)}]
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": ticket["version"], "status": "in_progress", "handler_id": None},
    )
    current = api.ok("GET", f"/tickets/{ticket['id']}", "zhangwei")
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": current["version"], "status": "resolved"},
    )
    view = api.client.get(f"/portal/tickets/{number_text}")
    assert 'id="ticket-status"' in view.text
    assert "resolved" in view.text or "已解决" in view.text
    photo = re.search(r'src="(/portal/tickets/[^"]+/photos/\d+)"', view.text)
    assert photo
    assert api.client.get(photo.group(1)).content == PNG
    rated = api.client.post(
        f"/portal/tickets/{number_text}/rate",
        data={"score": "5", "comment": "好", "form_token": token},
    )
    assert rated.status_code == 200
    assert 'id="rated"' in rated.text


def test_a_customer_sees_only_their_own_tickets(api: Api) -> None:
    token = sign_in(api, ZHAO)
    number = httpx.URL(register(api, token, "卡纸").headers["location"]).params["registered"]
    sign_in(api, SUN)
    other = api.client.get(f"/portal/tickets/{number}")
    assert other.status_code == 404
    assert number not in api.client.get("/portal/tickets").text
    # Ticket number + phone: only with the right phone, and then that ticket only.
    api.client.cookies.clear()
    form = _token(api.client.get("/portal/sign-in"))
    wrong = api.client.post(
        "/portal/ticket-sign-in", data={"number": number, "phone": SUN, "form_token": form}
    )
    assert wrong.status_code == 401
    right = api.client.post(
        "/portal/ticket-sign-in", data={"number": number, "phone": ZHAO, "form_token": form}
    )
    assert right.status_code == 200
    assert number in right.text
    assert api.client.get("/portal/new").status_code == 403  # a new problem needs a code
    refused = register(api, form, "x")
    assert refused.status_code == 403
    assert "SMS" in refused.text or "短信" in refused.text


def test_forms_without_their_token_are_refused(api: Api) -> None:
    token = sign_in(api, ZHAO)
    assert token
    refused = api.client.post("/portal/new", data={"description": "x"})
    assert refused.status_code == 422
    assert "expired" in refused.text or "失效" in refused.text


def test_codes_are_rate_limited_and_wrong_codes_spend_them(api: Api) -> None:
    token = _token(api.client.get("/portal/sign-in"))
    answers = [
        api.client.post("/portal/code", data={"phone": ZHAO, "form_token": token}).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    for _ in range(5):
        wrong = api.client.post(
            "/portal/verify", data={"phone": ZHAO, "code": "000000", "form_token": token}
        )
        assert wrong.status_code == 401
    code = re.search(r"\b(\d{6})\b", _gateway(api).messages(ZHAO)[-1].text)
    assert code
    spent = api.client.post(
        "/portal/verify", data={"phone": ZHAO, "code": code.group(1), "form_token": token}
    )
    assert spent.status_code == 401  # five wrong tries spent it (unless one guessed right)
    api.clock.advance(timedelta(minutes=16))
    assert (
        api.client.post("/portal/code", data={"phone": ZHAO, "form_token": token}).status_code
        == 200
    )


def test_an_unknown_number_gets_the_same_answer_and_no_code(api: Api) -> None:
    token = _token(api.client.get("/portal/sign-in"))
    stranger = "+8613911112222"
    answer = api.client.post("/portal/code", data={"phone": stranger, "form_token": token})
    assert answer.status_code == 200
    assert _gateway(api).messages(stranger) == []


def test_bad_input_gets_a_clear_message(api: Api) -> None:
    token = sign_in(api, ZHAO)
    not_a_picture = register(api, token, "卡纸", photo=b"<script>alert(1)</script>")
    assert not_a_picture.status_code == 422
    assert "JPEG" in not_a_picture.text
    nul = register(api, token, "a\x00b")
    assert nul.status_code == 422
    huge = api.client.post(
        "/portal/new",
        data={"form_token": token, "description": "x"},
        files={"photos": ("big.png", PNG + b"\x00" * (16 * 1024 * 1024), "image/png")},
    )
    assert huge.status_code == 413
    assert "5 MB" in huge.text
    script = register(api, token, "<script>alert('x')</script>")
    assert script.status_code == 303
    number = httpx.URL(script.headers["location"]).params["registered"]
    shown = api.client.get(f"/portal/tickets/{number}").text
    assert "<script>alert" not in shown
    assert "&lt;script&gt;" in shown


def test_a_complaint_starts_the_24_hour_clock(api: Api) -> None:
    token = sign_in(api, ZHAO)
    number = httpx.URL(register(api, token, "漏墨").headers["location"]).params["registered"]
    api.client.post(
        f"/portal/tickets/{number}/complain", data={"comment": "三天没人理", "form_token": token}
    )
    ticket = next(
        t for t in api.ok("GET", "/tickets", "zhangwei", limit=200) if t["number"] == number
    )
    assert ticket["complaint"] is True
    assert ticket["handler_id"] is not None
    api.clock.advance(timedelta(hours=25))
    escalated = api.sweep()
    assert ticket["id"] in escalated


def test_opted_out_phones_get_no_notices(api: Api) -> None:
    token = sign_in(api, ZHAO)
    api.client.post("/portal/sms", data={"notices_on": "0", "form_token": token})
    before = len(_gateway(api).messages(ZHAO))
    assert register(api, token, "卡纸").status_code == 303
    api.client.app.state.sms_sender.send()  # type: ignore[attr-defined]  # no rounds here
    assert len(_gateway(api).messages(ZHAO)) == before


def test_articles_are_pushed_and_self_service_counted(api: Api) -> None:
    hits = api.client.get("/portal/suggest", params={"q": "打印机卡纸"})
    assert hits.status_code == 200
    article = re.search(r'href="/portal/faq/(\d+)"', hits.text)
    assert article, hits.text
    token = _token(api.client.get(f"/portal/faq/{article.group(1)}"))
    solved = api.client.post(f"/portal/faq/{article.group(1)}/solved", data={"form_token": token})
    assert solved.status_code == 200


def test_visit_and_survey_notices_in_the_customers_language(api: Api) -> None:
    token = sign_in(api, ZHAO)
    number = httpx.URL(register(api, token, "漏墨").headers["location"]).params["registered"]
    ticket = next(
        t for t in api.ok("GET", "/tickets", "zhangwei", limit=200) if t["number"] == number
    )
    start = api.clock.now() + timedelta(days=1)
    api.ok(
        "POST",
        "/dispatches",
        "zhangwei",
        {
            "ticket_id": ticket["id"],
            "technician": "张工",
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=3)).isoformat(),
            "method": "on_site",
        },
    )
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": ticket["version"], "status": "in_progress"},
    )
    current = api.ok("GET", f"/tickets/{ticket['id']}", "zhangwei")
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": current["version"], "status": "resolved"},
    )
    api.client.app.state.sms_sender.send()  # type: ignore[attr-defined]
    texts = [m.text for m in _gateway(api).messages(ZHAO)]
    assert any("张工" in t and "上门" in t and number in t for t in texts), texts
    assert any(f"/portal/tickets/{number}" in t and "评价" in t for t in texts), texts
    # STOP from now on: nothing more is sent.
    with api.database.session() as session:
        from server_stub.sms.notices import opt_out

        opt_out(session, ZHAO, "sms", api.clock.now())
        session.commit()
    before = len(_gateway(api).messages(ZHAO))
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": current["version"] + 1, "status": "in_progress"},
    )
    again = api.ok("GET", f"/tickets/{ticket['id']}", "zhangwei")
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": again["version"], "status": "resolved"},
    )
    api.client.app.state.sms_sender.send()  # type: ignore[attr-defined]
    assert len(_gateway(api).messages(ZHAO)) == before


def test_the_faq_follows_the_experts_edits(api: Api) -> None:
    from sqlalchemy import select

    from server_stub.models import ArticleRow

    assert "suggestion" in api.client.get("/portal/suggest", params={"q": "打印机卡纸"}).text
    with api.database.session() as session:
        row = session.scalars(select(ArticleRow).where(ArticleRow.status == "published")).first()
        assert row is not None
        row.title = "量子隧穿校准仪的零点漂移"
        row.updated_at = api.clock.now()
        session.commit()
        article_id = row.id
    found = api.client.get("/portal/faq", params={"q": "量子隧穿校准仪"}).text
    assert f'href="/portal/faq/{article_id}"' in found
    with api.database.session() as session:
        row = session.get(ArticleRow, article_id)
        assert row is not None
        row.status = "draft"
        session.commit()
    gone = api.client.get("/portal/faq", params={"q": "量子隧穿校准仪"}).text
    assert f'href="/portal/faq/{article_id}"' not in gone
    assert api.client.get(f"/portal/faq/{article_id}").status_code == 404  # drafts unseen


def test_staff_of_the_team_see_the_photos_others_do_not(api: Api) -> None:
    token = sign_in(api, ZHAO)
    number = httpx.URL(register(api, token, "花屏").headers["location"]).params["registered"]
    ticket = next(
        t for t in api.ok("GET", "/tickets", "zhangwei", limit=200) if t["number"] == number
    )
    photos = api.ok("GET", f"/tickets/{ticket['id']}/portal-photos", "wangfang")
    assert [(p["name"], p["content_type"], p["size"]) for p in photos] == [
        ("screen.png", "image/png", len(PNG))
    ]
    shown = api.call("GET", f"/tickets/{ticket['id']}/portal-photos/{photos[0]['id']}", "wangfang")
    assert shown.status_code == 200
    assert shown.content == PNG
    assert shown.headers["content-type"] == "image/png"
    other_team = api.call(
        "GET", f"/tickets/{ticket['id']}/portal-photos/{photos[0]['id']}", "liuyang"
    )
    assert other_team.status_code == 403
    assert (
        api.call("GET", f"/tickets/{ticket['id']}/portal-photos/999999", "wangfang").status_code
        == 404
    )
