"""The HTTP SMS provider adapter against a provider stand-in on loopback: the message posted
as JSON with the bearer token, 503s retried, a 400 the final word; the inbound webhook (STOP)
closed without its token and honoured with it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server_stub.sms.gateway import SmsMessage, SmsSendError
from server_stub.sms.http_gateway import HttpSmsGateway
from server_stub.sms.notices import opted_out
from tests.integration.conftest import Api


class _Provider(BaseHTTPRequestHandler):
    answers: list[int] = []  # noqa: RUF012 (the class is the test's stand-in's state)
    received: list[tuple[str, dict[str, str]]] = []  # noqa: RUF012

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.headers.get("Authorization", ""), body))
        status = self.answers.pop(0) if self.answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    _Provider.answers, _Provider.received = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/send"
    httpd.shutdown()
    httpd.server_close()


def test_a_message_is_posted_and_503s_retried(provider: str) -> None:
    _Provider.answers = [503, 503]
    gateway = HttpSmsGateway(provider, "secret", backoff_s=0.01)
    gateway.send(SmsMessage("+8613800138000", "工单 SR-1"))
    assert len(_Provider.received) == 3
    assert _Provider.received[-1] == (
        "Bearer secret",
        {"to": "+8613800138000", "text": "工单 SR-1"},
    )
    gateway.close()


def test_a_refusal_is_the_final_word(provider: str) -> None:
    _Provider.answers = [400]
    gateway = HttpSmsGateway(provider, "secret", backoff_s=0.01)
    with pytest.raises(SmsSendError, match="400"):
        gateway.send(SmsMessage("+8613800138000", "x"))
    assert len(_Provider.received) == 1
    gateway.close()


def test_an_unreachable_provider_is_a_send_error() -> None:
    gateway = HttpSmsGateway("http://127.0.0.1:9/send", "t", retries=1, backoff_s=0.01)
    with pytest.raises(SmsSendError, match="unreachable"):
        gateway.send(SmsMessage("+8613800138000", "x"))


def test_the_inbound_webhook_needs_its_token_and_honours_stop(api: Api) -> None:
    stop = {"from": "13800138000", "text": "退订"}
    assert api.client.post("/sms/inbound", json=stop).status_code == 401  # closed: no token set
    settings = api.client.app.state.settings  # type: ignore[attr-defined]
    api.client.app.state.settings = type(settings)(  # type: ignore[attr-defined]
        **{
            **{f: getattr(settings, f) for f in settings.__dataclass_fields__},
            "sms_inbound_token": "hook",
        }
    )
    wrong = api.client.post("/sms/inbound", json=stop, headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 401
    done = api.client.post("/sms/inbound", json=stop, headers={"Authorization": "Bearer hook"})
    assert done.status_code == 200
    with api.database.session() as session:
        assert opted_out(session, "+8613800138000")
    bad = api.client.post(
        "/sms/inbound",
        json={"from": "\x00", "text": "STOP"},
        headers={"Authorization": "Bearer hook"},
    )
    assert bad.status_code == 422
