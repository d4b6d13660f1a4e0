"""Which desk releases are current (issue 18, contract 1.5): the headers the server stamps,
read back by the desk, and how urgently a desk is told to update; the server's settings for
them from its flags, environment and file."""

from __future__ import annotations

import argparse

import pytest
from requests.structures import CaseInsensitiveDict

from server_stub.__main__ import build_parser, server_settings
from server_stub.core.sources import apply
from sync.contract.release import (
    DeskRelease,
    Urgency,
    advise,
    from_headers,
    headers_for,
    release_number,
)
from sync.contract.version import ContractVersion

V1_0, V1_3, V1_5 = ContractVersion(1, 0), ContractVersion(1, 3), ContractVersion(1, 5)


def test_the_headers_round_trip() -> None:
    said = DeskRelease("1.6.0", V1_0, V1_3, "2027-01-15")
    headers = headers_for(said)
    assert headers == {
        "X-AW-Desk-Newest": "1.6.0",
        "X-AW-Desk-Oldest": "1.0",
        "X-AW-Desk-Oldest-Next": "1.3; from=2027-01-15",
    }
    # requests' headers are case-insensitive, as a proxy may have changed the case.
    lowered = CaseInsensitiveDict({k.lower(): v for k, v in headers.items()})
    assert from_headers(lowered) == said


def test_nothing_said_is_none_and_nonsense_is_not_said() -> None:
    assert from_headers(CaseInsensitiveDict({"X-AW-Contract": "1.4"})) is None
    odd = CaseInsensitiveDict(
        {"X-AW-Desk-Newest": "<script>", "X-AW-Desk-Oldest-Next": "soon; from=tomorrow"}
    )
    assert from_headers(odd) is None
    dateless = from_headers(CaseInsensitiveDict({"X-AW-Desk-Oldest-Next": "1.3; from=soon"}))
    assert dateless == DeskRelease(oldest_next=V1_3)


@pytest.mark.parametrize(
    ("desk", "contract", "said", "urgency"),
    [
        ("0.1.0", V1_5, None, Urgency.UNKNOWN),
        ("0.1.0", V1_5, DeskRelease(oldest=V1_0), Urgency.UNKNOWN),
        ("0.1.0", V1_5, DeskRelease("0.1.0", V1_0), Urgency.CURRENT),
        ("0.2.0", V1_5, DeskRelease("0.1.9", V1_0), Urgency.CURRENT),
        ("0.1.0", V1_5, DeskRelease("0.1.1", V1_0), Urgency.OUTDATED),
        ("0.9.0", V1_5, DeskRelease("0.10.0", V1_0), Urgency.OUTDATED),  # numbers, not text
        ("0.1.0", V1_0, DeskRelease("0.1.0", V1_0, V1_3), Urgency.ENDING),
        ("0.1.0", V1_5, DeskRelease("0.2.0", V1_0, V1_3), Urgency.OUTDATED),
        ("0.1.0", V1_5, DeskRelease("", V1_0, V1_3), Urgency.CURRENT),
    ],
)
def test_how_urgently_a_desk_is_told(
    desk: str, contract: ContractVersion, said: DeskRelease | None, urgency: Urgency
) -> None:
    assert advise(desk, contract, said) is urgency


def test_release_numbers_compare_as_numbers() -> None:
    assert release_number("1.10.0rc1") == (1, 10, 0)
    assert release_number("1.9") < release_number("1.10")


def _settings(argv: list[str], environ: dict[str, str]) -> argparse.Namespace:
    parser = build_parser()
    apply(parser, argv, environ)
    return parser.parse_args(argv)


def test_the_server_takes_them_from_flags_and_the_environment() -> None:
    args = _settings(
        ["--newest-desk", "1.6.0", "--oldest-desk-next", "1.3"],
        {"AGENT_SERVER_OLDEST_DESK_NEXT_FROM": "2027-01-15", "AGENT_SERVER_OLDEST_DESK": "1.1"},
    )
    settings = server_settings(build_parser(), args, "sqlite:///x.sqlite")
    assert settings.newest_desk == "1.6.0"
    assert settings.oldest_desk == ContractVersion(1, 1)
    assert settings.oldest_desk_next == V1_3
    assert settings.oldest_desk_next_from == "2027-01-15"


@pytest.mark.parametrize(
    "argv",
    [
        ["--newest-desk", "latest"],
        ["--oldest-desk-next", "one"],
        ["--oldest-desk-next-from", "1/2"],
        ["--oldest-desk", "9.9"],  # above what the server speaks: every desk refused
        ["--oldest-desk", "1.3", "--oldest-desk-next", "1.2"],  # the next step goes down
    ],
)
def test_the_server_refuses_nonsense(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        server_settings(build_parser(), _settings(argv, {}), "sqlite:///x.sqlite")
