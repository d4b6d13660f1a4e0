"""Real mail servers on loopback for the email channel's tests (issue 22).

``Dovecot``: Debian's dovecot-imapd, a throwaway instance under the test's tmp folder (its own
config, passwd-file users with plain passwords, Maildirs, run as the current user), with IMAP
on one port and IMAPS (a self-signed certificate made by ``openssl``) on another.
``SmtpRelay``: aiosmtpd as a real SMTP server; each mail it receives is delivered into the
recipient's Dovecot mailbox by IMAP APPEND, as a mail server's local delivery would.
"""

from __future__ import annotations

import getpass
import imaplib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from sync.clock import SystemClock
from tests.fakes.ports import free_port
from tests.fakes.waiting import wait_for_tcp_port, wait_until

DOVECOT = Path("/usr/sbin/dovecot")


def have_dovecot() -> bool:
    return DOVECOT.exists() and shutil.which("openssl") is not None


class Dovecot:
    def __init__(self, root: Path, users: dict[str, str]) -> None:
        self.root = root
        self.users = dict(users)
        self.port = free_port()
        self.tls_port = free_port()
        self.cert = root / "cert.pem"
        self._config = root / "dovecot.conf"

    def start(self) -> Dovecot:
        root = self.root
        for sub in ("state",):
            (root / sub).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(root / "key.pem"), "-out", str(self.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        me = getpass.getuser()
        # Dovecot's login processes refuse to run as root: under root they run as Debian's
        # dovenull/dovecot users, which must reach the sockets: a short (UNIX socket paths are
        # limited to 107 bytes) world-readable run folder of its own.
        login_user, internal_user = ("dovenull", "dovecot") if me == "root" else (me, me)
        self._run = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self._run.chmod(0o755)
        # Mail is stored as the internal user (dovecot refuses uid 0 for mail), in a folder it owns.
        mail = self._run / "mail"
        mail.mkdir()
        if me == "root":
            owner = pwd.getpwnam(internal_user)
            os.chown(mail, owner.pw_uid, owner.pw_gid)
        (self._run / "passwd").write_text(
            "".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in self.users.items()), encoding="utf-8"
        )
        self._config.write_text(
            f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self._run}
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_internal_user = {internal_user}
default_login_user = {login_user}
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
mail_location = maildir:{mail}/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self._run}/passwd
}}
userdb {{
  driver = static
  args = uid={internal_user} gid={internal_user} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""",
            encoding="utf-8",
        )
        # Its output to a file, not a pipe: the daemon keeps its stdio open, and run() would
        # wait for the pipe's end.
        with (root / "start.log").open("wb") as out:
            subprocess.run(
                [str(DOVECOT), "-c", str(self._config)],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_tcp_port("127.0.0.1", self.port, what="dovecot imap")
        wait_for_tcp_port("127.0.0.1", self.tls_port, what="dovecot imaps")
        return self

    def stop(self) -> None:
        """SIGTERM to the master (it ends its children), waited for by its pid: ``dovecot
        stop`` polls once a second and cost each test 2-3 s."""
        pid_file = self._run / "master.pid"
        try:
            pid = int(pid_file.read_text(encoding="ascii").strip())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pid = 0
        if pid:
            wait_until(lambda: not _alive(pid), 15, "dovecot's master to end")
        shutil.rmtree(self._run, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- a mail client's view, for the tests ----------------------------------------------------
    def imap(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, self.users[user])
        return client

    def append(self, user: str, raw: bytes) -> None:
        """A mail arrives in ``user``'s INBOX."""
        client = self.imap(user)
        try:
            client.append("INBOX", "", imaplib.Time2Internaldate(SystemClock().now()), raw)
        finally:
            client.logout()

    def messages(self, user: str) -> list[EmailMessage]:
        client = self.imap(user)
        try:
            client.select("INBOX", readonly=True)
            _typ, data = client.uid("SEARCH", "ALL")
            found = []
            for uid in (data[0] or b"").split():
                _typ, parts = client.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
                raw = bytes(parts[0][1])
                found.append(message_from_bytes(raw, _class=EmailMessage, policy=policy.default))
            return found
        finally:
            client.logout()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (its parent, the test, never waits for the daemonised master) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


class _Deliver:
    """aiosmtpd's handler: each accepted mail appended to its recipients' Dovecot INBOX."""

    def __init__(self, dovecot: Dovecot, domain: str) -> None:
        self._dovecot = dovecot
        self._domain = domain
        self.received: list[bytes] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        self.received.append(raw)
        for rcpt in envelope.rcpt_tos:
            user = rcpt.partition("@")[0]
            if user in self._dovecot.users:
                self._dovecot.append(user, raw)
        return "250 delivered"

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if not address.endswith("@" + self._domain):
            return "550 no such domain here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SmtpRelay:
    def __init__(self, dovecot: Dovecot, domain: str) -> None:
        self.port = free_port()
        self.handler = _Deliver(dovecot, domain)
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpRelay:
        self._controller.start()
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self._controller.stop()


def recipients_of(message: Message) -> list[str]:
    return [a for _n, a in getaddresses(message.get_all("To", []))]
