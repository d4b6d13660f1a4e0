"""An HTTP SMS provider: ``POST <url>`` with ``{"to": "+86…", "text": "…"}`` and a bearer
token, the shape most providers' REST APIs take (a provider with another shape is one small
subclass overriding ``payload``).

Retries come from urllib3's ``Retry`` (already under ``requests``): connection errors and 429 /
5xx answers are retried with backoff; a 4xx other than 429 is the provider's final word."""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from server_stub.sms.gateway import SmsMessage, SmsSendError


class HttpSmsGateway:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout_s: float = 10.0,
        retries: int = 3,
        backoff_s: float = 0.5,
    ) -> None:
        self._url = url
        self._timeout = timeout_s
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        retry = Retry(
            total=retries,
            backoff_factor=backoff_s,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"POST"}),  # the provider dedupes by our message id
            raise_on_status=False,
        )
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))

    def payload(self, message: SmsMessage) -> dict[str, Any]:
        return {"to": message.to, "text": message.text}

    def send(self, message: SmsMessage) -> None:
        try:
            answer = self._session.post(
                self._url, json=self.payload(message), timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise SmsSendError(f"SMS provider unreachable: {exc}") from exc
        if answer.status_code >= 300:
            raise SmsSendError(f"SMS provider answered {answer.status_code}: {answer.text[:200]}")

    def close(self) -> None:
        self._session.close()
