"""Kamailio as a real site runs it: registrar and proxy with digest authentication (issue 24).

Every REGISTER and every new call from one of its users is challenged (401 for REGISTER, 407
for INVITE) and checked against that user's password; calls to a user go to the contact that
user registered. The users and their passwords are written into the config (no database), so
``restart`` brings up a registrar with an empty location table on the same port, as a PBX
restarted in the night does.

It shares ``kamcmd``'s view of the location table (``contacts``, ``forget``) with the plain
fake in ``tests/fakes/kamailio.py``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.kamailio import HEADER, MODULES, Kamailio
from tests.fakes.ports import free_udp_port
from tests.fakes.waiting import wait_for_udp_port

REALM = "cc.test"

# $var(pw) is the password of the From user (REGISTER: the To user is the From user here).
# No Record-Route: in-dialog requests go between the phones, as with the plain fake.
CONFIG = (
    HEADER
    + """modparam("auth", "secret", "issue24-interop")

route[PASSWORD] {{
    $var(pw) = "";
{passwords}
}}

request_route {{
    xlog("L_INFO", "SIP $rm $ru from $fu expires [$hdr(Expires)] contact [$ct] auth [$au]\n");
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (is_method("REGISTER")) {{
        route(PASSWORD);
        if ($var(pw) == "" || !pv_www_authenticate("{realm}", "$var(pw)", "0")) {{
            www_challenge("{realm}", "0");
            exit;
        }}
        consume_credentials();
        save("location");
        exit;
    }}
    if (is_method("INVITE") && !has_totag() && from_uri == myself) {{
        route(PASSWORD);
        if ($var(pw) == "" || !pv_proxy_authenticate("{realm}", "$var(pw)", "0")) {{
            proxy_challenge("{realm}", "0");
            exit;
        }}
        consume_credentials();
    }}
    if (uri == myself) {{
        if (is_method("OPTIONS") && $rU == $null) {{
            sl_send_reply("200", "OK");
            exit;
        }}
        if (!lookup("location")) {{
            if (is_method("ACK")) exit;
            sl_send_reply("404", "Not Found");
            exit;
        }}
    }}
    if (is_method("ACK")) {{
        forward();
        exit;
    }}
    t_relay();
}}
"""
)


def password_route(users: dict[str, str]) -> str:
    return "\n".join(
        f'    if ($fU == "{user}") $var(pw) = "{password}";' for user, password in users.items()
    )


class AuthKamailio(Kamailio):
    """``kamailio -DD -E`` with digest auth for ``users`` (name -> password), UDP on loopback."""

    def __init__(self, tmp: Path, users: dict[str, str], *, domain: str = REALM) -> None:
        self.binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        self.kamcmd = shutil.which("kamcmd") or "/usr/sbin/kamcmd"
        if not Path(self.binary).exists() or not MODULES.exists():
            pytest.fail("Kamailio is missing: install Debian's kamailio (make test does)")
        self.port = free_udp_port()
        self.address = f"127.0.0.1:{self.port}"
        self.domain = domain
        self.run = tmp / "kamailio-auth"
        self.run.mkdir(exist_ok=True)
        self.ctl = self.run / "ctl.sock"
        self.config = self.run / "kamailio.cfg"
        self.config.write_text(
            CONFIG.format(
                host="127.0.0.1",
                children=2,
                extra_modules='loadmodule "auth.so"\nloadmodule "xlog.so"\n',
                port=self.port,
                domain=domain,
                realm=domain,
                modules=MODULES,
                ctl=self.ctl,
                passwords=password_route(users),
            ),
            encoding="utf-8",
        )
        self.log = self.run / "kamailio.log"
        self._launch()

    def _launch(self) -> None:
        self._log = self.log.open("ab")
        cmd = [self.binary, "-DD", "-E", "-f", str(self.config)]
        cmd += ["-P", str(self.run / "kamailio.pid"), "-Y", str(self.run), "-w", str(self.run)]
        cmd += ["-m", "32", "-M", "4"]
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_udp_port(
                "127.0.0.1", self.port, timeout_s=15, process=self.process, what="Kamailio"
            )
        except AssertionError:
            self.stop()
            raise AssertionError(f"Kamailio did not start:\n{self.report()}") from None

    def restart(self) -> None:
        """Stop and start again on the same port: the location table (in memory) is empty."""
        self.stop()
        self._launch()
