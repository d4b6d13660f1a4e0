"""The team mailboxes' file (issue 22): the password only from a file or the environment and
never in a repr, TLS unless the host is loopback, each wrong key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from server_stub.channels.mail_settings import MailboxSettingsError, load_mailboxes

GOOD = """
[[mailbox]]
name = "medical"
team_id = 1
address = "Support@Example.test"
imap_host = "imap.example.test"
imap_port = 993
smtp_host = "smtp.example.test"
smtp_port = 465
username = "support"
password_env = "AW_MAIL_PASSWORD"
"""


def test_a_mailbox_is_read_and_its_password_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "mailboxes.toml"
    path.write_text(GOOD, encoding="utf-8")
    (found,) = load_mailboxes(path, {"AW_MAIL_PASSWORD": "s3cret-pw"})
    assert (found.address, found.imap.security, found.domain) == (
        "support@example.test",
        "tls",
        "example.test",
    )
    assert found.password == "s3cret-pw"
    assert "s3cret-pw" not in repr(found)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (GOOD.replace('password_env = "AW_MAIL_PASSWORD"', 'password = "x"'), "no password in"),
        (GOOD.replace("AW_MAIL_PASSWORD", "NOT_SET"), "NOT_SET"),
        (GOOD + 'imap_security = "none"\n', "plain text"),
        (GOOD.replace("team_id = 1", 'team_id = "one"'), "team_id"),
        (GOOD.replace('address = "Support@Example.test"', 'address = "nobody"'), "address"),
        (GOOD.replace("smtp_port = 465\n", ""), "smtp_port is missing"),
        ("not toml [", "mailboxes.toml"),
    ],
)
def test_a_wrong_file_is_refused_naming_the_problem(
    tmp_path: Path, change: str, named: str
) -> None:
    path = tmp_path / "mailboxes.toml"
    path.write_text(change, encoding="utf-8")
    with pytest.raises(MailboxSettingsError, match=named):
        load_mailboxes(path, {"AW_MAIL_PASSWORD": "pw"})


def test_plain_text_to_loopback_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "mailboxes.toml"
    local = GOOD.replace("imap.example.test", "127.0.0.1") + 'imap_security = "none"\n'
    path.write_text(local, encoding="utf-8")
    (found,) = load_mailboxes(path, {"AW_MAIL_PASSWORD": "pw"})
    assert found.imap.security == "none"
