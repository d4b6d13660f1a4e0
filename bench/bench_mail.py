"""The email channel's intake (issue 22): time per mail taken from a team mailbox onto a
ticket (IMAP fetch, parse, customer match, ticket or thread, interaction, read position, one
commit each), beside the floor of fetching the same mails over IMAP alone, in the same run,
from the same throwaway Dovecot on loopback (Debian's dovecot-imapd, IMAPS).

Half the mails answer an earlier one (they join its ticket), half are new; a tenth are
Chinese in GBK. The database is SQLite, seeded with the demo centre.

Usage: ``python -m bench.bench_mail --mails 300``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.results import Figure, record
from server_stub.channels.email_channel import EmailChannel, ImapReader
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.seed import seed_demo
from server_stub.sla_policies import current as stored_policies
from sync.clock import system_clock
from sync.contract.sla import default_policies
from tests.fakes.mail_servers import Dovecot, SmtpRelay
from tests.integration.test_email_channel import USERS, customer_mail, mailbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mails", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            Dovecot(root / "dovecot", USERS) as dovecot,
            SmtpRelay(dovecot, "example.test") as relay,
        ):
            first_ids: list[str] = []
            for n in range(args.mails):
                if n % 2 and first_ids:
                    raw = customer_mail(f"Re: 问题 {n}", "补充说明", In_Reply_To=first_ids[-1])
                else:
                    charset = "gb2312" if n % 10 == 0 else "utf-8"
                    first_ids.append(f"<bench.{n}@customer.example>")
                    raw = customer_mail(
                        f"问题 {n}",
                        "打印机卡纸，请处理。",
                        charset=charset,
                        Message_ID=first_ids[-1],
                    )
                dovecot.append("support", raw)
            settings = replace(mailbox(dovecot, relay), batch=args.mails, per_sender_per_hour=10**6)

            reader = ImapReader(settings)
            start = time.perf_counter()
            imap, _validity = reader.open_folder()
            uids = reader.uids_after(imap, 0, args.mails)
            for uid in uids:
                reader.fetch(imap, uid)
            floor_s = time.perf_counter() - start
            reader.close()

            database = Database(f"sqlite:///{root / 'bench.sqlite'}")
            migrate(database.engine)
            with database.session() as session:
                seed_demo(session, now=system_clock().now())
            defaults = default_policies()
            channel = EmailChannel(
                settings, database, system_clock().now, lambda s: stored_policies(s, defaults)
            )
            start = time.perf_counter()
            taken = channel.receive_round()
            taken_s = time.perf_counter() - start
            channel.close()
            database.dispose()
    assert taken == args.mails, f"{taken} of {args.mails} taken"
    record(
        "mail",
        [
            Figure(
                "mail taken onto a ticket (fetch, parse, match, ticket, commit)",
                taken_s / args.mails * 1000,
                "ms",
                floor=floor_s / args.mails * 1000,
                floor_what="the same mail fetched over IMAPS alone",
                aim="a mailbox's hour of mail (hundreds) in seconds",
            )
        ],
        {"mails": args.mails},
    )


if __name__ == "__main__":
    main()
