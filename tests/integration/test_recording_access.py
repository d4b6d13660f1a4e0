"""Who may list and hear a recording (issue 20), over HTTP against the real backend: an agent
their own calls, a lead their team's, an admin all; an agent of another team, a technician and
a revoked token nothing. Every playback is audited once (not per Range request), and Range
answers the right bytes. Retention per team removes expired files, audited, with the clock
moved rather than waited for."""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from server_stub.models import AuditRow
from sync.client import ApiClient, AuthError, RecordingsUnsupportedError, ServerError
from sync.clock import ManualClock
from sync.contract import version as contract
from sync.contract.recordings import RecordingMeta, RecordingMode
from sync.contract.version import ContractVersion
from sync.contract.wire import API_PREFIX
from sync.recording_upload import RecordingSpool, RecordingUploader
from sync.routes import Operation
from tests.fakes.servers import LiveBackend
from tests.fakes.spooled_recordings import spool_recording
from tests.integration.test_client_fits_older_servers import a_call

PASSWORD = "demo1234"


def client_of(backend: LiveBackend, username: str) -> ApiClient:
    client = ApiClient(backend.url)
    client.login(username, PASSWORD)
    return client


def upload(backend: LiveBackend, spool: Path, username: str, **kwargs: object) -> RecordingMeta:
    meta = spool_recording(spool, username, size=300_000, **kwargs)  # type: ignore[arg-type]
    token = client_of(backend, username)._token
    report = RecordingUploader(
        RecordingSpool(spool), lambda: ApiClient(backend.url, token=token)
    ).run_round()
    assert meta.recording_id in report.confirmed
    return meta


def audits(backend: LiveBackend, action: str) -> list[AuditRow]:
    with backend.database.session() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def backend(tmp_path: Path, clock: ManualClock) -> Iterator[LiveBackend]:
    server = LiveBackend(
        tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings", clock=clock
    )
    yield server
    server.stop()


@pytest.fixture
def lina_call(backend: LiveBackend, tmp_path: Path) -> RecordingMeta:
    """A call of lina (team 2, led by liuyang)."""
    return upload(backend, tmp_path / "spool", "lina", interaction_id=41, queue="售后")


def test_the_agent_the_lead_and_admin_hear_it_others_do_not(
    backend: LiveBackend, lina_call: RecordingMeta
) -> None:
    rid = lina_call.recording_id
    for allowed in ("lina", "liuyang", "admin"):
        client = client_of(backend, allowed)
        assert [r.recording_id for r in client.recordings(interaction_id=41)] == [rid]
        assert client.recording(rid).sha256 == lina_call.sha256
    for refused in ("tom", "wangfang", "zhangwei"):  # a teammate agent; another team's
        client = client_of(backend, refused)
        assert client.recordings() == []
        with pytest.raises(ServerError) as caught:
            client.recording(rid)
        assert caught.value.status == 403
    technician = client_of(backend, "ligong")  # lina's team, but a technician
    for call in (technician.recordings, lambda: technician.recording(rid)):
        with pytest.raises(ServerError) as caught:
            call()
        assert caught.value.status == 403
    denied = [row for row in audits(backend, "recording.listen") if not row.allowed]
    assert len(denied) >= 3


def test_a_revoked_token_hears_nothing(backend: LiveBackend, lina_call: RecordingMeta) -> None:
    client = client_of(backend, "lina")
    token = client._token
    client.logout()
    revoked = ApiClient(backend.url, token=token)
    with pytest.raises(AuthError):
        revoked.recordings()
    with pytest.raises(AuthError):
        revoked.download_recording(lina_call.recording_id, Path("/nonexistent/never"))


def test_range_answers_the_right_bytes_and_a_playback_is_audited_once(
    backend: LiveBackend, lina_call: RecordingMeta, tmp_path: Path
) -> None:
    lead = client_of(backend, "liuyang")
    path = f"{backend.url}{API_PREFIX}/recordings/{lina_call.recording_id}/audio"
    headers = {"Authorization": f"Bearer {lead._token}"}
    whole = lead.download_recording(lina_call.recording_id, tmp_path / "whole.ogg")
    assert whole == lina_call.size_bytes
    data = (tmp_path / "whole.ogg").read_bytes()
    assert hashlib.sha256(data).hexdigest() == lina_call.sha256
    plays = len(audits(backend, "recording.play"))
    assert plays == 1
    probe = httpx.head(path, headers=headers)  # a player asks the size: no playback
    assert probe.status_code == 200
    assert probe.headers["Content-Length"] == str(lina_call.size_bytes)
    assert probe.headers["Accept-Ranges"] == "bytes"
    assert len(audits(backend, "recording.play")) == 1
    # The player seeks: ranges past the start are the same playback.
    answer = httpx.get(path, headers={**headers, "Range": "bytes=1000-1999"})
    assert answer.status_code == 206
    assert answer.headers["Content-Range"] == f"bytes 1000-1999/{lina_call.size_bytes}"
    assert answer.content == data[1000:2000]
    tail = httpx.get(path, headers={**headers, "Range": "bytes=-10"})
    assert tail.content == data[-10:]
    assert len(audits(backend, "recording.play")) == 1
    outside = httpx.get(path, headers={**headers, "Range": f"bytes={lina_call.size_bytes}-"})
    assert outside.status_code == 416
    assert "outside" in outside.json()["message"]
    # A new playback (from byte 0) is audited again, with who listened.
    assert httpx.get(path, headers={**headers, "Range": "bytes=0-99"}).status_code == 206
    rows = audits(backend, "recording.play")
    assert len(rows) == 2
    assert {row.target for row in rows} == {f"recording {lina_call.recording_id}"}


def test_poison_uploads_are_refused_naming_the_problem(
    backend: LiveBackend, tmp_path: Path
) -> None:
    lina = client_of(backend, "lina")
    url = f"{backend.url}{API_PREFIX}/recordings/uploads"
    headers = {**lina.upload_headers(), "Tus-Resumable": "1.0.0"}
    answer = httpx.post(url, headers={**headers, "Upload-Length": "10"})
    assert answer.status_code == 400
    assert "meta" in answer.json()["message"]
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": str(10**12), "Upload-Metadata": "meta e30="}
    )
    assert answer.status_code == 413
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": "1", "Upload-Metadata": "meta %%"}
    )
    assert answer.status_code == 400
    assert "base64" in answer.json()["message"]
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": "1", "Upload-Metadata": "meta e30="}
    )
    assert answer.status_code == 422
    assert answer.json()["field"].startswith("meta.")
    bomb = base64.b64encode(zlib.compress(b" " * 50_000_000)).decode()
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": "1", "Upload-Metadata": f"meta_zlib {bomb}"}
    )
    assert answer.status_code == 413
    assert "inflates" in answer.json()["message"]
    offset = httpx.head(f"{url}/{'0' * 32}", headers=headers)
    assert offset.status_code == 404
    # Times a database cannot hold or compare: named, 422.
    far = spool_recording(tmp_path, "lina", source=RecordingMode.PBX).model_copy(
        update={"started_at": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))}
    )
    encoded = base64.b64encode(far.model_dump_json().encode()).decode()
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": "0", "Upload-Metadata": f"meta {encoded}"}
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "meta.started_at"
    naive = far.model_copy(update={"started_at": datetime(2026, 12, 1, 9, 0)})
    encoded = base64.b64encode(naive.model_dump_json().encode()).decode()
    answer = httpx.post(
        url, headers={**headers, "Upload-Length": "0", "Upload-Metadata": f"meta {encoded}"}
    )
    assert answer.status_code == 422
    assert "time zone" in answer.json()["message"]
    listing = f"{backend.url}{API_PREFIX}/recordings"
    for query in ("since=0001-01-01T00:00:00%2B14:00", "until=2026-01-01", "limit=100000"):
        answer = httpx.get(f"{listing}?{query}", headers=headers)
        assert answer.status_code == 422, query
        assert answer.json()["field"] in {"since", "until", "limit"}


def test_a_download_cut_short_goes_on_from_its_part_file(
    backend: LiveBackend, lina_call: RecordingMeta, tmp_path: Path
) -> None:
    lina = client_of(backend, "lina")
    whole = tmp_path / "whole.ogg"
    lina.download_recording(lina_call.recording_id, whole)
    data = whole.read_bytes()
    target = tmp_path / "again.ogg"
    target.with_name("again.ogg.part").write_bytes(data[:123_456])  # a download cut here
    assert lina.download_recording(lina_call.recording_id, target) == lina_call.size_bytes
    assert target.read_bytes() == data
    assert not target.with_name("again.ogg.part").exists()


def test_another_agents_recording_waits_for_their_own_sign_in(
    backend: LiveBackend, tmp_path: Path
) -> None:
    """Two agents share a PC and its spool: lina's desk sends only lina's calls; the server
    refuses tom's under lina's token all the same (403), and the file is not given up."""
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "tom")  # tom's call, lina signed in now
    lina = client_of(backend, "lina")._token
    as_lina = RecordingUploader(spool, lambda: ApiClient(backend.url, token=lina), agent="lina")
    report = as_lina.run_round()
    assert report.confirmed == []
    assert report.network_error == ""
    careless = RecordingUploader(spool, lambda: ApiClient(backend.url, token=lina)).run_round()
    assert "own agent" in careless.network_error
    assert careless.refused == {}  # not marked: it waits for tom
    tom = client_of(backend, "tom")._token
    as_tom = RecordingUploader(spool, lambda: ApiClient(backend.url, token=tom), agent="tom")
    assert as_tom.run_round().confirmed == [meta.recording_id]


def test_retention_per_team_removes_expired_files_audited(
    backend: LiveBackend, clock: ManualClock, tmp_path: Path
) -> None:
    old = upload(backend, tmp_path / "a", "lina", started_at=clock.now() - timedelta(days=20))
    new = upload(backend, tmp_path / "b", "lina", started_at=clock.now() - timedelta(days=2))
    other_team = upload(
        backend, tmp_path / "c", "wangfang", started_at=clock.now() - timedelta(days=20)
    )
    admin = client_of(backend, "admin")
    lina_team = admin.recording(old.recording_id).team_id
    assert lina_team is not None
    assert admin.recording_retention(lina_team).days == 180
    with pytest.raises(ServerError) as caught:
        client_of(backend, "liuyang").set_recording_retention(lina_team, 1)
    assert caught.value.status == 403
    assert admin.set_recording_retention(lina_team, 10).days == 10
    assert [r.detail for r in audits(backend, "recording.retention")] == ["180 -> 10 days"]

    retention = backend.app.state.recording_retention
    assert retention.sweep() == 1  # the 20-day call of the 10-day team
    files = backend.app.state.recording_store
    assert not files.exists(old.sha256)
    assert files.exists(new.sha256)
    assert files.exists(other_team.sha256)
    gone = admin.recording(old.recording_id)
    assert gone.deleted_at is not None
    assert not gone.has_audio
    expired = audits(backend, "recording.expire")
    assert [row.target for row in expired] == [f"recording {old.recording_id}"]
    with pytest.raises(ServerError) as caught:
        admin.download_recording(old.recording_id, tmp_path / "gone.ogg")
    assert caught.value.status == 410
    # Time moves on: the other team's 180 days run out too, and a second round is idempotent.
    clock.advance(timedelta(days=170))
    assert retention.sweep() == 2
    assert retention.sweep() == 0


def test_an_upload_never_finished_is_dropped_after_thirty_days_audited(
    backend: LiveBackend, clock: ManualClock, tmp_path: Path
) -> None:
    meta = spool_recording(tmp_path / "spool", "lina", size=1000)
    audio = (tmp_path / "spool" / f"{meta.recording_id}.ogg").read_bytes()
    headers = {**client_of(backend, "lina").upload_headers(), "Tus-Resumable": "1.0.0"}
    url = f"{backend.url}{API_PREFIX}/recordings/uploads"
    encoded = base64.b64encode(meta.model_dump_json().encode()).decode()
    created = httpx.post(
        url, headers={**headers, "Upload-Length": "1000", "Upload-Metadata": f"meta {encoded}"}
    )
    assert created.status_code == 201
    place = backend.url + created.headers["Location"]
    sent = httpx.patch(
        place,
        content=audio[:400],
        headers={
            **headers,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert sent.headers["Upload-Offset"] == "400"
    retention = backend.app.state.recording_retention
    clock.advance(timedelta(days=29))
    retention.sweep()
    headers = {**client_of(backend, "lina").upload_headers(), "Tus-Resumable": "1.0.0"}
    assert httpx.head(place, headers=headers).headers["Upload-Offset"] == "400"
    clock.advance(timedelta(days=2))
    retention.sweep()
    headers = {**client_of(backend, "lina").upload_headers(), "Tus-Resumable": "1.0.0"}
    assert httpx.head(place, headers=headers).status_code == 404
    assert [row.target for row in audits(backend, "recording.upload.abandoned")] == [
        f"recording {meta.recording_id}"
    ]


def test_a_server_before_1_7_is_said_to_keep_no_recordings(
    backend: LiveBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 1.6 server answers 404 to the recordings routes: the client says it keeps none (a
    typed error the players show), not that one recording is missing."""
    lina = client_of(backend, "lina")
    with pytest.raises(ServerError) as caught:  # this server speaks 1.7: a missing recording
        lina.recording("0" * 32)
    assert caught.value.status == 404
    monkeypatch.setattr(contract, "CONTRACT", ContractVersion(1, 6))  # what the server says
    for call in (
        lambda: lina.recording("0" * 32),
        lambda: lina.download_recording("0" * 32, tmp_path / "x.ogg"),
    ):
        with pytest.raises(RecordingsUnsupportedError):
            call()


@pytest.mark.slow
def test_on_postgresql_recordings_are_stored_scoped_and_expired(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The same table, JSON columns, team filter and retention on PostgreSQL."""
    server = request.getfixturevalue("postgres_server")
    url = server.create_database(f"rec_{tmp_path.name[-20:]}".replace("-", "_"))
    clock = ManualClock()
    live = LiveBackend(database_url=url, recordings_dir=tmp_path / "recordings", clock=clock)
    try:
        meta = upload(live, tmp_path / "spool", "lina", started_at=clock.now() - timedelta(days=9))
        lead = client_of(live, "liuyang")
        assert [r.recording_id for r in lead.recordings(agent="lina")] == [meta.recording_id]
        assert client_of(live, "zhangwei").recordings() == []
        admin = client_of(live, "admin")
        team = admin.recording(meta.recording_id).team_id
        assert team is not None
        admin.set_recording_retention(team, 7)
        assert live.app.state.recording_retention.sweep() == 1
        assert admin.recording(meta.recording_id).deleted_at is not None
    finally:
        live.stop()


def test_a_customers_calls_are_looked_up_in_one_request(
    backend: LiveBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Contract 1.8: the 360 asks about all of a customer's calls at once (interaction_id
    repeated), and each answer names its call, also one only its interaction names; a 1.7
    server reads only the last id, so the client asks it about the others one by one."""
    spool = tmp_path / "spool"
    first = upload(backend, spool, "lina", interaction_id=41, queue="售后")
    second = upload(backend, spool, "lina", interaction_id=42, queue="售后")
    sealed_first = upload(backend, spool, "lina", queue="售后")  # sealed before its interaction
    lina = client_of(backend, "lina")
    customer = lina.lookup_customers("13700137000")[0]  # a customer of her team
    call = {**a_call(customer.id), "recording_id": sealed_first.recording_id}
    named = lina.perform(Operation("interaction", "create"), call, "named-1")
    assert named is not None
    calls = [41, 42, int(named["id"]), 999]
    sent = _count_requests(monkeypatch)
    found = lina.recordings_of_calls(calls)
    assert len(sent) == 1
    assert {i: [r.recording_id for r in rs] for i, rs in found.items()} == {
        41: [first.recording_id],
        42: [second.recording_id],
        int(named["id"]): [sealed_first.recording_id],
    }
    # Another team's agent hears none of them.
    assert client_of(backend, "wangfang").recordings_of_calls(calls) == {}
    # Poison: an id of 0, or more calls than one request may name.
    for query in ("interaction_id=0", "&".join(f"interaction_id={i}" for i in range(1, 60))):
        answer = httpx.get(
            f"{backend.url}{API_PREFIX}/recordings?{query}",
            headers={"Authorization": f"Bearer {lina._token}"},
        )
        assert answer.status_code == 422, query
        assert answer.json()["field"].startswith("interaction_id")

    monkeypatch.setattr(contract, "CONTRACT", ContractVersion(1, 7))  # what the server says
    older = client_of(backend, "lina")
    older.recordings(limit=1)  # (the client learns the server's contract)
    sent.clear()
    found = older.recordings_of_calls([41, 42])
    assert len(sent) == 2  # both, then the first alone
    assert {i: [r.recording_id for r in rs] for i, rs in found.items()} == {
        41: [first.recording_id],
        42: [second.recording_id],
    }


def _count_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths every ApiClient asks from now on."""
    sent: list[str] = []
    original = ApiClient._request

    def counted(self: ApiClient, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(path)
        return original(self, method, path, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "_request", counted)
    return sent
