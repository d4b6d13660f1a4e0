"""Kamailio (Debian's ``kamailio``) as the PBX's SIP proxy on loopback: a registrar (usrloc in
memory, no authentication) that routes calls to the registered contact, as a real site's does.

Its own runtime directory (pid file, control socket) under the test's tmp path; ``kamcmd``
reads the location table through that socket (``contacts``, ``forget``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.sipp import free_udp_port
from tests.fakes.waiting import wait_for_udp_port

MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")

# Calls to a user of this domain go to the contact that user registered. No Record-Route: the
# far end's in-dialog requests come back here by their Request-URI and are looked up again.
CONFIG = """#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
disable_tcp=yes
listen=udp:{host}:{port}
alias="{domain}"
mpath="{modules}"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:{ctl}")
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "timer_interval", 1)
modparam("registrar", "min_expires", 1)

request_route {{
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (is_method("REGISTER")) {{
        save("location");
        exit;
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


class Kamailio:
    """``kamailio -DD -E -f <config>`` listening on ``address`` (UDP, loopback)."""

    def __init__(self, tmp: Path, *, domain: str = "cc.test", host: str = "127.0.0.1") -> None:
        """``host``: the address it listens on (a test's veth address reaches a namespace)."""
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        self.kamcmd = shutil.which("kamcmd") or "/usr/sbin/kamcmd"
        if not Path(binary).exists() or not MODULES.exists():
            pytest.fail("Kamailio is missing: install Debian's kamailio (make test does)")
        self.port = free_udp_port()
        self.host = host
        self.address = f"{host}:{self.port}"
        self.domain = domain
        run = tmp / "kamailio"
        run.mkdir(exist_ok=True)
        self.ctl = run / "ctl.sock"
        config = run / "kamailio.cfg"
        config.write_text(
            CONFIG.format(host=host, port=self.port, domain=domain, modules=MODULES, ctl=self.ctl),
            encoding="utf-8",
        )
        self.log = run / "kamailio.log"
        self._log = self.log.open("wb")
        cmd = [binary, "-DD", "-E", "-f", str(config), "-P", str(run / "kamailio.pid")]
        cmd += ["-Y", str(run), "-w", str(run), "-m", "32", "-M", "4"]
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_udp_port(host, self.port, timeout_s=15, process=self.process, what="Kamailio")
        except AssertionError:
            self.stop()
            raise AssertionError(f"Kamailio did not start:\n{self.report()}") from None

    def _rpc(self, *command: str) -> str:
        done = subprocess.run(
            [self.kamcmd, "-s", f"unix:{self.ctl}", *command],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout + done.stderr

    def contacts(self, user: str) -> list[str]:
        """The contacts registered for ``user`` (Kamailio's location table, now)."""
        dump = self._rpc("ul.lookup", "location", f"{user}@{self.domain}")
        return [
            line.split(":", 1)[1].strip()
            for line in dump.splitlines()
            if line.strip().startswith("Address:")
        ]

    def forget(self, user: str) -> None:
        """Drop ``user``'s bindings, as their expiry does while the PC sleeps."""
        self._rpc("ul.rm", "location", f"{user}@{self.domain}")

    def report(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
