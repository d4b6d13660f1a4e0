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

from tests.fakes.ports import free_udp_port
from tests.fakes.waiting import wait_for_udp_port

MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")
DBTEXT = Path("/usr/share/kamailio/dbtext/kamailio")  # the empty tables, as Debian ships them

# Calls to a user of this domain go to the contact that user registered. No Record-Route: the
# far end's in-dialog requests come back here by their Request-URI and are looked up again.
# The registrar every fake PBX starts from (tests/fakes/kamailio_auth.py adds digest auth):
# UDP on one address, locations in memory, a control socket for kamcmd.
HEADER = """#!KAMAILIO
debug=2
log_stderror=yes
children={children}
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
{extra_modules}loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:{ctl}")
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "timer_interval", 1)
modparam("registrar", "min_expires", 1)
"""
CONFIG = (
    HEADER
    + """
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
)


# The PBX with dialog events (RFC 4235, "BLF"): the dialog module follows every call it
# routes (Record-Route keeps it on the path of the BYE), pua_dialoginfo PUBLISHes each
# call's state for both parties to the presence module here, which serves SUBSCRIBE
# ``Event: dialog`` with NOTIFYs of application/dialog-info+xml. Subscriptions live in memory;
# presentity rows in db_text files copied to the run's directory.
# ``dialog_events="refuse"``: a PBX that does not offer them answers 489 Bad Event.
PRESENCE_MODULES = """loadmodule "rr.so"
loadmodule "db_text.so"
loadmodule "dialog.so"
loadmodule "presence.so"
loadmodule "presence_dialoginfo.so"
loadmodule "pua.so"
loadmodule "pua_dialoginfo.so"
modparam("presence|pua", "db_url", "text://{db}")
modparam("presence", "server_address", "sip:{host}:{port}")
modparam("presence", "subs_db_mode", 0)
modparam("pua", "db_mode", 0)
modparam("pua", "outbound_proxy", "sip:{host}:{port}")
modparam("pua_dialoginfo", "include_callid", 1)
"""
PRESENCE_ROUTE = """    if (has_totag()) {{
        if (loose_route()) {{
            t_relay();
            exit;
        }}
        if (is_method("SUBSCRIBE") && uri == myself) {{
            route(PRESENCE);
        }}
        if (is_method("ACK")) {{
            if (t_check_trans()) t_relay();
            exit;
        }}
        sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("PUBLISH|SUBSCRIBE")) {{
        route(PRESENCE);
    }}
    if (is_method("INVITE")) {{
        dlg_manage();
        record_route();
    }}
"""
PRESENCE_HANDLER = """
route[PRESENCE] {{
    if (!t_newtran()) {{
        sl_reply_error();
        exit;
    }}
    if (is_method("PUBLISH")) {{
        handle_publish();
    }} else {{
        handle_subscribe();
    }}
    t_release();
    exit;
}}
"""
REFUSE_ROUTE = """    if (is_method("SUBSCRIBE|PUBLISH")) {{
        sl_send_reply("489", "Bad Event");
        exit;
    }}
"""


def _with_dialog_events(config: str, mode: str) -> str:
    """The base configuration with dialog events served ("serve") or refused ("refuse")."""
    anchor = '    if (is_method("REGISTER")) {{\n'
    if mode == "refuse":
        return config.replace(anchor, REFUSE_ROUTE + anchor, 1)
    modules = 'loadmodule "ctl.so"\n'
    config = config.replace(modules, modules + PRESENCE_MODULES, 1)
    config = config.replace(anchor, PRESENCE_ROUTE + anchor, 1)
    return config + PRESENCE_HANDLER


class Kamailio:
    """``kamailio -DD -E -f <config>`` listening on ``address`` (UDP, loopback).

    ``dialog_events``: "" (the registrar alone), "serve" (the presence modules answer
    SUBSCRIBE ``Event: dialog`` for the calls it routes) or "refuse" (489 Bad Event).
    ``host``: the address it listens on (a test's veth address reaches a namespace)."""

    def __init__(
        self,
        tmp: Path,
        *,
        domain: str = "cc.test",
        dialog_events: str = "",
        host: str = "127.0.0.1",
    ) -> None:
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
        template = _with_dialog_events(CONFIG, dialog_events) if dialog_events else CONFIG
        db = run / "db"
        if dialog_events == "serve":
            shutil.copytree(DBTEXT, db, dirs_exist_ok=True)
        config.write_text(
            template.format(
                host=host,
                port=self.port,
                domain=domain,
                modules=MODULES,
                ctl=self.ctl,
                db=db,
                children=1,
                extra_modules="",
            ),
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
