"""``agent-server``'s settings from flags, AGENT_SERVER_* variables and a TOML file:
flags > environment > file > defaults, and a bad value named with where it came from."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from server_stub.__main__ import build_parser, server_settings
from server_stub.core.sources import KEYS, SourceError, apply, read_secret, with_password


def _parse(argv: list[str], environ: dict[str, str]) -> argparse.Namespace:
    parser = build_parser()
    apply(parser, argv, environ)
    return parser.parse_args(argv)


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "server.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_flags_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    config = _toml(
        tmp_path,
        'port = 9001\nhost = "0.0.0.0"\nlog_format = "json"\npresence_timeout = 90\n'
        "[category_limit]\nbilling = 48\n",
    )
    args = _parse(
        ["--config", str(config), "--port", "9003"],
        {"AGENT_SERVER_PORT": "9002", "AGENT_SERVER_HOST": "10.0.0.5"},
    )
    assert args.port == 9003  # flag
    assert args.host == "10.0.0.5"  # environment over file
    assert args.log_format == "json"  # file
    assert args.presence_timeout == 90.0
    assert args.category_limit == ["billing=48.0"]
    assert args.workers == 1  # default
    # And the values pass the flags' own checks into the settings.
    settings = server_settings(build_parser(), args, "sqlite:///x.sqlite")
    assert settings.category_limits["billing"].total_seconds() == 48 * 3600


def test_the_config_file_may_come_from_the_environment(tmp_path: Path) -> None:
    config = _toml(tmp_path, 'database_url = "postgresql+psycopg://svc@db.example/centre"\n')
    args = _parse([], {"AGENT_SERVER_CONFIG": str(config)})
    assert args.database_url == "postgresql+psycopg://svc@db.example/centre"


def test_a_database_flag_beats_a_url_from_the_environment(tmp_path: Path) -> None:
    environ = {"AGENT_SERVER_DATABASE_URL": "postgresql+psycopg://svc@db/centre"}
    args = _parse(["--database", str(tmp_path / "here.sqlite")], environ)
    assert args.database_url is None
    assert args.database == tmp_path / "here.sqlite"
    assert _parse([], environ).database_url == "postgresql+psycopg://svc@db/centre"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"AGENT_SERVER_PORT": "eighty"}, "AGENT_SERVER_PORT: expected a whole number"),
        ({"AGENT_SERVER_LOG_FORMAT": "xml"}, "AGENT_SERVER_LOG_FORMAT: 'xml' is not one of"),
        ({"AGENT_SERVER_PRESENCE_TIMEOUT": "soon"}, "AGENT_SERVER_PRESENCE_TIMEOUT: expected a"),
        ({"AGENT_SERVER_CONFIG": "/nonexistent/server.toml"}, "/nonexistent/server.toml: cannot"),
    ],
)
def test_a_bad_variable_is_named_and_exits_2(
    environ: dict[str, str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ended:
        _parse([], environ)
    assert ended.value.code == 2
    assert named in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('port = "x"\n', "port: expected a whole number"),
        ("prot = 80\n", "unknown key 'prot'"),
        ("workers = true\n", "workers: expected a whole number"),
        ("port = \n", "not valid TOML"),
        ('metrics = "maybe"\n', "metrics: 'maybe' is not one of off, on"),
    ],
)
def test_a_bad_file_key_is_named_and_exits_2(
    tmp_path: Path, text: str, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _toml(tmp_path, text)
    with pytest.raises(SystemExit) as ended:
        _parse(["--config", str(config)], {})
    assert ended.value.code == 2
    error = capsys.readouterr().err
    assert named in error
    assert str(config) in error


def test_a_value_from_the_environment_still_meets_the_flags_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The variables only change argparse's defaults; the checks after parsing still run."""
    parser = build_parser()
    args = _parse([], {"AGENT_SERVER_PRESENCE_TIMEOUT": "-5"})
    with pytest.raises(SystemExit):
        server_settings(parser, args, "sqlite:///x.sqlite")
    assert "--presence-timeout must be 0" in capsys.readouterr().err


def test_every_key_is_an_option() -> None:
    dests = {action.dest for action in build_parser()._actions}
    assert {key.dest for key in KEYS} <= dests


def test_the_database_password_comes_from_a_private_file(tmp_path: Path) -> None:
    secret = tmp_path / "db-password"
    secret.write_text("s3cret-Pass:@/word\n", encoding="utf-8")
    secret.chmod(0o600)
    url = with_password("postgresql+psycopg://svc@db.example:5432/centre", secret)
    assert make_url(url).password == "s3cret-Pass:@/word"
    assert make_url(url).host == "db.example"
    secret.chmod(0o640)
    with pytest.raises(SourceError) as refused:
        with_password("postgresql+psycopg://svc@db/centre", secret)
    assert "readable by others" in str(refused.value)
    assert "s3cret" not in str(refused.value)


def test_an_empty_or_missing_secret_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "token"
    empty.write_text("\n", encoding="utf-8")
    empty.chmod(0o600)
    with pytest.raises(SourceError, match="empty"):
        read_secret(empty, "metrics_token_file")
    with pytest.raises(SourceError, match="metrics_token_file"):
        read_secret(tmp_path / "absent", "metrics_token_file")


def test_the_metrics_token_stays_out_of_the_settings_repr(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("scrape-me-9f8e7d\n", encoding="utf-8")
    token.chmod(0o600)
    parser = build_parser()
    args = _parse(["--metrics-token-file", str(token)], {})
    settings = server_settings(parser, args, "sqlite:///x.sqlite")
    assert settings.metrics_token == "scrape-me-9f8e7d"
    assert "scrape-me" not in repr(settings)
