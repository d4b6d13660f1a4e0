"""The desk <-> phone engine channel: every event type crosses generically, by field."""

from __future__ import annotations

import dataclasses
import json
import socket

import pytest
from pytestqt.qtbot import QtBot

from softphone import events
from softphone.engine.protocol import (
    CLASSES,
    ENUMS,
    HEADER,
    VERSION,
    Channel,
    Json,
    decode,
    encode,
    frame,
)
from softphone.engine.server import phone_signals
from softphone.events import CallDirection, CallInfo, CallState, PhoneConfig, RegistrationInfo
from softphone.phone import LocalPhone
from softphone.proxy import Phone, _rebased


def test_every_dataclass_and_enum_of_the_events_module_is_known() -> None:
    for name, value in vars(events).items():
        if isinstance(value, type) and value.__module__ == events.__name__:
            assert name in CLASSES or name in ENUMS, name


@pytest.mark.parametrize("cls", sorted(CLASSES.values(), key=lambda c: c.__name__))
def test_each_event_dataclass_round_trips_through_json(cls: type) -> None:
    value = _sample(cls)
    assert decode(json.loads(json.dumps(encode(value)))) == value


def test_a_field_the_desk_does_not_know_is_dropped_and_a_missing_one_defaults() -> None:
    info = CallInfo(7, CallDirection.INBOUND, CallState.INCOMING, "sip:1@x", "1")
    data = encode(info)
    data["from_the_future"] = "sales"  # a newer engine's field
    del data["muted"]  # an older engine's message
    assert decode(data) == info


def test_tuples_of_tuples_come_back_as_tuples() -> None:
    info = CallInfo(
        1,
        CallDirection.INBOUND,
        CallState.INCOMING,
        "",
        "",
        call_data=(("Diversion", "<sip:4008001234@pbx>"), ("X-IVR-Choice", "2")),
    )
    back = decode(json.loads(json.dumps(encode(info))))
    assert back == info
    assert hash(back) == hash(info)


def test_nested_values_and_lists_cross() -> None:
    value = [PhoneConfig(user="a"), {"k": RegistrationInfo(events.RegistrationState.FAILED)}]
    assert decode(json.loads(json.dumps(encode(value)))) == value


def test_no_pickle_and_no_unknown_objects() -> None:
    with pytest.raises(TypeError):
        encode(object())


def test_the_desk_proxy_has_every_signal_of_the_engine_phone() -> None:
    """A signal added to LocalPhone is forwarded by the engine; the proxy must declare it."""
    missing = [name for name in phone_signals(LocalPhone) if name not in phone_signals(Phone)]
    assert missing == []


def test_stamps_move_to_the_desk_clock() -> None:
    info = CallInfo(1, CallDirection.INBOUND, CallState.CONNECTED, "", "", started_at=100.0)
    moved = _rebased(replace_connected(info, 110.0), 5.0)
    assert (moved.started_at, moved.connected_at) == (105.0, 115.0)


def replace_connected(info: CallInfo, at: float) -> CallInfo:
    return dataclasses.replace(info, connected_at=at)


def test_frames_cross_a_socket_pair_in_order_and_in_pieces(qtbot: QtBot) -> None:
    ours, theirs = socket.socketpair()
    got: list[dict[str, Json]] = []
    closed: list[bool] = []
    channel = Channel(ours, got.append, lambda: closed.append(True))
    blob = b"".join(frame({"n": n, "text": "王" * n}) for n in range(50))
    for start in range(0, len(blob), 7):  # a frame split anywhere still arrives whole
        theirs.sendall(blob[start : start + 7])
        channel.read_now()  # (the socket's buffer is smaller than 1,500 tiny writes)
    assert len(got) == 50
    assert [m["n"] for m in got] == list(range(50))
    assert all(m["v"] == VERSION for m in got)
    channel.send({"n": "back"})
    length = HEADER.unpack(theirs.recv(HEADER.size))[0]
    assert json.loads(theirs.recv(length))["n"] == "back"
    theirs.close()
    qtbot.waitUntil(lambda: bool(closed), timeout=5000)  # the engine's death: end of file


def _sample(cls: type) -> object:
    """An instance with every field set to something other than its default."""
    enums: list[tuple[str, object]] = [
        ("CallDirection", CallDirection.OUTBOUND),
        ("CallState", CallState.HELD),
        ("MonitorMode", events.MonitorMode.BARGE),
        ("RegistrationState", events.RegistrationState.REGISTERED),
        ("Transport", events.Transport.TLS),
        ("SrtpUse", events.SrtpUse.MANDATORY),
        ("DtmfMethod", events.DtmfMethod.SIP_INFO),
        ("RecordingState", events.RecordingState.PAUSED),
        ("RecordingMode", events.RecordingMode.PBX),
    ]
    values: dict[str, object] = {}
    for item in dataclasses.fields(cls):
        default = item.default if item.default is not dataclasses.MISSING else None
        kind = str(item.type)
        first = kind.partition(" ")[0]
        enum = next((value for name, value in enums if name == first), None)
        if enum is not None:
            values[item.name] = enum
        elif isinstance(default, bool) or kind == "bool":
            values[item.name] = not default
        elif kind.startswith("int") or isinstance(default, int):
            values[item.name] = 42
        elif "float" in kind:
            values[item.name] = 1.5
        elif "str" in kind:
            values[item.name] = "値 <x>"
    return cls(**values)
