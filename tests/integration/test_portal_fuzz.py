"""Property-based requests to every portal route and the SMS webhook (hypothesis, as the API's
schemathesis run does for the OpenAPI routes, which the portal is not in): whatever a browser
or a hostile client sends — signed in or not, with or without the form token, NUL bytes,
huge or odd text, numbers out of range, wrong types for files — no answer is a 5xx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.conftest import Api, close, serve

ZHAO = "+8613800138000"
TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "\x00",
            "<script>alert(1)</script>",
            "SR-20261206-000001",
            ZHAO,
            "13800138000",
            "99999999999999999999",
            "-1",
            "５",
            "𝕏" * 50,
            "\ud7ff",
        ]
    ),
)
ROUTES = [
    ("POST", "/portal/code"),
    ("POST", "/portal/verify"),
    ("POST", "/portal/ticket-sign-in"),
    ("POST", "/portal/new"),
    ("POST", "/portal/sms"),
    ("POST", "/portal/sign-out"),
    ("GET", "/portal/faq"),
    ("GET", "/portal/suggest"),
    ("GET", "/portal/tickets/{text}"),
    ("POST", "/portal/tickets/{text}/rate"),
    ("POST", "/portal/tickets/{text}/complain"),
    ("GET", "/portal/tickets/{text}/photos/{number}"),
    ("GET", "/portal/faq/{number}"),
    ("POST", "/portal/faq/{number}/solved"),
    ("GET", "/portal/lang/{text}"),
    ("GET", "/portal/static/{text}"),
    ("POST", "/sms/inbound"),
]
FIELDS = [
    "phone",
    "code",
    "number",
    "summary",
    "description",
    "serial",
    "asset_id",
    "score",
    "comment",
    "notices_on",
    "q",
    "next",
]


@pytest.fixture(scope="module")
def signed_in(
    seeded_templates: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, str]]:
    from tests.integration.conftest import SeededTemplates

    assert isinstance(seeded_templates, SeededTemplates)
    url = seeded_templates.sqlite(tmp_path_factory.mktemp("fuzz") / "portal.sqlite")
    api = serve(url)
    page = api.client.get("/portal/sign-in")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token
    # Signed in as 赵敏 (until a generated sign-out: then the rest runs signed out).
    api.client.post("/portal/code", data={"phone": ZHAO, "form_token": token.group(1)})
    code = re.search(r"\b(\d{6})\b", api.client.app.state.sms_gateway.messages(ZHAO)[-1].text)  # type: ignore[attr-defined]
    assert code
    api.client.post(
        "/portal/verify", data={"phone": ZHAO, "code": code.group(1), "form_token": token.group(1)}
    )
    assert "sms-switch" in api.client.get("/portal/tickets").text
    yield api, token.group(1)
    close(api)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES),
    values=st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=6),
    text=TEXT,
    number=st.integers(min_value=-(2**70), max_value=2**70),
    with_token=st.booleans(),
    files=st.one_of(st.none(), st.binary(max_size=200), st.text(max_size=20)),
)
def test_no_request_gets_a_server_error(
    signed_in: tuple[Api, str],
    route: tuple[str, str],
    values: dict[str, str],
    text: str,
    number: int,
    with_token: bool,
    files: bytes | str | None,
) -> None:
    api, token = signed_in
    method, template = route
    path = template.replace("{text}", quote(text, safe="") or "x")
    path = path.replace("{number}", str(number))
    data = {**values, **({"form_token": token} if with_token else {})}
    try:
        if method == "GET":
            answer = api.client.get(path, params=values)
        elif isinstance(files, bytes):
            answer = api.client.post(
                path, data=data, files={"photos": ("p.png", files, "image/png")}
            )
        elif isinstance(files, str):
            answer = api.client.post(path, data={**data, "photos": files})
        else:
            answer = api.client.post(path, data=data)
    except UnicodeEncodeError:
        return  # the client cannot even send a lone surrogate: nothing reached the server
    assert answer.status_code < 500, (method, path, answer.status_code, answer.text[:300])
