"""tuspy's uploader with the desk's connections and timeouts (issue 20).

tuspy 1.1 (``tusclient``) keeps the protocol's details — the Tus-Resumable header, the
Upload-Metadata encoding, the upload length and each chunk's length — and sends its three
requests with ``requests.post/head/patch`` without a timeout: a server that accepts the
connection and then stalls would hold the uploader's worker for ever (and every later round
behind it), and each chunk opens a new connection. ``TimedUploader`` sends the same requests
through the desk's ``requests.Session`` (its TLS settings, its pool) with the desk's timeouts;
every error is tuspy's ``TusCommunicationError`` with the status, as tuspy raises it.
"""

from __future__ import annotations

import base64
from typing import IO, Any
from urllib.parse import urljoin

import requests
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError, TusUploadFailed
from tusclient.uploader.uploader import Uploader

from sync.contract.recordings import UPLOAD_CONTENT_TYPE


def _failed(message: str, response: requests.Response) -> TusCommunicationError:
    error: TusCommunicationError = TusCommunicationError(  # type: ignore[no-untyped-call]
        message, response.status_code, response.content
    )
    return error


def _unreachable(exc: requests.RequestException) -> TusCommunicationError:
    error: TusCommunicationError = TusCommunicationError(exc)  # type: ignore[no-untyped-call]
    return error


class TimedUploader(Uploader):
    def __init__(
        self,
        client: TusClient,
        *,
        http: requests.Session,
        timeout: tuple[float, float],
        chunk_size: int,
        metadata: dict[str, bytes],
        file_path: str | None = None,
        file_stream: IO[bytes] | None = None,
    ) -> None:
        self._http = http
        self._timeout = timeout
        self._create_at = client.url
        self._client_headers = dict(client.headers)
        super().__init__(
            file_path=file_path,
            file_stream=file_stream,
            client=client,
            chunk_size=chunk_size,
        )
        self._metadata = metadata

    def _headers(self) -> dict[str, str]:
        return {**self.DEFAULT_HEADERS, **self._client_headers}

    def _address(self) -> str:
        url: object = getattr(self, "url", None)  # tuspy declares it None until set_url
        if not isinstance(url, str):
            raise TusCommunicationError("the upload has no address yet")  # type: ignore[no-untyped-call]
        return url

    def create_url(self) -> str:
        headers = {
            **self._headers(),
            "Upload-Length": str(self.get_file_size()),  # type: ignore[no-untyped-call]
            # Encoded here, not by tuspy: its values must be text, and a compressed meta is not.
            "Upload-Metadata": ",".join(
                f"{key} {base64.b64encode(value).decode('ascii')}"
                for key, value in self._metadata.items()
            ),
        }
        try:
            response = self._http.post(self._create_at, headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            raise _unreachable(exc) from None
        location = response.headers.get("location")
        if location is None:
            raise _failed(f"creating the upload answered {response.status_code}", response)
        return urljoin(self._create_at, location)

    def get_offset(self) -> int:
        try:
            response = self._http.head(
                self._address(), headers=self._headers(), timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise _unreachable(exc) from None
        offset = response.headers.get("upload-offset")
        if offset is None:
            raise _failed(f"reading the offset answered {response.status_code}", response)
        return int(offset)

    def upload_chunk(self) -> None:
        length = min(self.chunk_size, self.stop_at - self.offset)
        stream: IO[Any] = self.get_file_stream()  # type: ignore[no-untyped-call]
        try:
            stream.seek(self.offset)
            data = stream.read(length)
        finally:
            if self.file_stream is None:  # tuspy opened the file for this call
                stream.close()
        headers = {
            **self._headers(),
            "Upload-Offset": str(self.offset),
            "Content-Type": UPLOAD_CONTENT_TYPE,
        }
        try:
            response = self._http.patch(
                self._address(), data=data, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise _unreachable(exc) from None
        if not 200 <= response.status_code < 300:
            failed: TusUploadFailed = TusUploadFailed(  # type: ignore[no-untyped-call]
                "", response.status_code, response.content
            )
            raise failed
        self.offset = int(response.headers["upload-offset"])
