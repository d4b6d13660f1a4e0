"""A raw mail read as the intake needs it: who wrote, what they wrote, what they answer, what
came with it, and whether a person wrote it at all.

Mail from real customers is messy: GB2312 labels on GBK text, Big5, quoted-printable,
headers in RFC 2047 words of any charset, broken MIME, NUL bytes. Everything is decoded
with the label given (GB2312/GBK read as GB18030, their superset; Big5 as Big5-HKSCS), then
UTF-8, then GB18030, and as a last resort with replacement characters, saying so in a note;
a mail that cannot be read at all is refused with the reason. Nothing here raises on bad
input: ``read_mail`` always returns a ``ParsedMail``.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from server_stub.channels.base import KeptFile

# Limits of what is kept: a mail larger than MAX_MAIL_BYTES is refused (its headers still
# read, so the sender hears of it on the ticket); each file up to MAX_FILE_BYTES, all of a
# mail's files up to MAX_FILES_BYTES, at most MAX_FILES of them.
MAX_MAIL_BYTES = 25 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
MAX_TEXT = 20_000

# Ticket numbers as desks and the server give them (sync.contract.rules.desk_ticket_number
# and the server's SR-<day>-<id>).
TICKET_IN_SUBJECT = re.compile(r"\bSR-\d{8}-[0-9A-Z]{1,7}(?:-[0-9A-Z]{1,7}){0,2}\b")
_MSGID = re.compile(r"<[^<>\s]{1,240}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Charset labels senders get wrong: read each as the superset its senders really use.
_SUPERSET = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
}
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?reply|out of (the )?office|自动回复|自動回覆|自动答复|休假)",
    re.IGNORECASE,
)
_ROBOT_SENDERS = ("mailer-daemon", "postmaster", "listserv", "majordomo")


@dataclass(frozen=True, slots=True)
class ParsedMail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: str  # the address, lower-cased ("" when none could be read)
    sender_name: str
    subject: str
    text: str
    ticket_numbers: tuple[str, ...]
    files: tuple[KeptFile, ...] = ()
    notes: tuple[str, ...] = ()
    # Why no person wrote it (auto-reply, bounce, list mail): such mail never touches a ticket.
    automatic: str = ""
    # Why it cannot be taken at all (too large, no sender): kept on record, said in the log.
    refused: str = ""

    @property
    def answers(self) -> tuple[str, ...]:
        """The Message-IDs this mail answers, nearest first."""
        return (*self.in_reply_to, *reversed(self.references))


def clean_text(text: str) -> tuple[str, bool]:
    """Text safe to store (PostgreSQL refuses NUL; the wire refuses C0 controls): the
    controls removed, and whether there were any."""
    cleaned = _CONTROL.sub("", text)
    return cleaned, cleaned != text


def decode_bytes(data: bytes, label: str | None) -> tuple[str, str]:
    """``data`` as text and a note ('' when it read cleanly under its own label)."""
    tried: list[str] = []
    declared = (label or "").strip().lower()
    for codec in (_SUPERSET.get(declared, declared), "utf-8", "gb18030"):
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if codec == _SUPERSET.get(declared, declared) or not declared:
            return text, ""
        return text, f"declared charset {declared!r} did not fit; read as {codec}"
    return (
        data.decode("utf-8", errors="replace"),
        f"text in an unreadable charset ({declared or 'none declared'}); shown with "
        "replacement characters",
    )


def _header(message: Message, name: str) -> str:
    """A header's decoded value, never raising (broken encoded words are kept raw)."""
    try:
        value = message.get(name)
    except Exception:
        raw = message.get_all(name, failobj=[])
        value = raw[0] if raw else None
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:  # the default policy leaves a word it could not decode
        try:
            parts = email.header.decode_header(text)
            text = "".join(decode_bytes(p, c)[0] if isinstance(p, bytes) else p for p, c in parts)
        except Exception:
            pass
    return clean_text(" ".join(text.split()))[0]


def _ids(value: str) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value))[:50]


def automatic_reason(message: Message, sender: str, subject: str) -> str:
    """Why the mail was written by a machine ('' for a person's): RFC 3834's Auto-Submitted,
    Precedence bulk/junk/list/auto_reply, the X-Autoreply family, a delivery report, an
    empty Return-Path (a bounce), a robot's address, an out-of-office subject."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if _header(message, name):
            return f"{name} present"
    if message.get_content_type() == "multipart/report":
        return "a delivery report"
    if _header(message, "Return-Path").strip() == "<>":
        return "a bounce (empty Return-Path)"
    local = sender.partition("@")[0]
    if local in _ROBOT_SENDERS:
        return f"sent by {local}"
    if _AUTO_SUBJECT.search(subject):
        return "an automatic reply (subject)"
    return ""


def safe_file_name(name: str, index: int) -> str:
    """A name that is safe anywhere: no folders, no controls, no leading dots, at most 120
    characters keeping the extension; ``attachment-<n>`` when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name)
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 110 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:120]
    return name or f"attachment-{index}"


def _part_text(part: Message) -> tuple[str, str]:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return "", ""
    return decode_bytes(payload, part.get_content_charset())


class _Files:
    """The files of one mail, kept within the limits; the rest named in the notes."""

    def __init__(self, notes: list[str]) -> None:
        self.kept: list[KeptFile] = []
        self._notes = notes
        self._total = 0

    def offer(self, part: Message) -> None:
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            return
        name = safe_file_name(_decoded_filename(part), len(self.kept) + 1)
        if len(self.kept) >= MAX_FILES:
            self._notes.append(f"file {name!r} not kept: more than {MAX_FILES} files")
        elif len(data) > MAX_FILE_BYTES:
            self._notes.append(
                f"file {name!r} not kept: {len(data) // 1024} KB, over the "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB limit"
            )
        elif self._total + len(data) > MAX_FILES_BYTES:
            self._notes.append(f"file {name!r} not kept: the mail's files are over the limit")
        else:
            self._total += len(data)
            self.kept.append(KeptFile(name, part.get_content_type()[:200], data))


def _is_file(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or (
        part.get_filename() is not None and disposition != "inline"
    )


def _walk(message: Message) -> tuple[str, list[KeptFile], list[str]]:
    """The mail's text (the first plain part; else the HTML one's words), its files, notes."""
    texts: dict[str, str] = {}
    notes: list[str] = []
    files = _Files(notes)
    for part in message.walk():
        content_type = part.get_content_type()
        if part.is_multipart():
            continue
        if not _is_file(part) and content_type in {"text/plain", "text/html"}:
            text, note = _part_text(part)
            if note:
                notes.append(note)
            texts.setdefault(content_type, text)
        else:
            files.offer(part)
    plain = texts.get("text/plain")
    html = texts.get("text/html")
    if plain is None and html is not None:
        plain = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", html))
        plain = re.sub(r"[ \t]+", " ", plain)
    return plain or "", files.kept, notes


def _decoded_filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


def read_mail(raw: bytes, *, size: int | None = None) -> ParsedMail:
    """The mail in ``raw`` (only its headers when ``size`` says it is over the limit)."""
    try:
        message: Message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:
        digest = hashlib.sha256(raw).hexdigest()[:32]
        return ParsedMail(
            f"<unreadable.{digest}@invalid>",
            (),
            (),
            "",
            "",
            "",
            "",
            (),
            refused=f"not a mail: {exc}"[:300],
        )
    notes: list[str] = []
    if message.defects:
        notes.append(
            "the mail's structure was broken ("
            + ", ".join(sorted({type(d).__name__ for d in message.defects}))[:200]
            + "); read as far as it goes"
        )
    name, address = parseaddr(_header(message, "From"))
    address = address.strip().lower()[:254]
    subject = _header(message, "Subject")[:300]
    message_id = (_ids(_header(message, "Message-ID")) or ("",))[0]
    if not message_id:
        digest = hashlib.sha256(raw[:65536]).hexdigest()[:32]
        message_id = f"<missing.{digest}@invalid>"
    in_reply_to = _ids(_header(message, "In-Reply-To"))
    references = _ids(_header(message, "References"))
    numbers = tuple(dict.fromkeys(TICKET_IN_SUBJECT.findall(subject)))
    base = ParsedMail(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        sender=address if "@" in address else "",
        sender_name=name[:200],
        subject=subject,
        text="",
        ticket_numbers=numbers,
        automatic=automatic_reason(message, address, subject),
    )
    if size is not None and size > MAX_MAIL_BYTES:
        return _replace(
            base,
            refused=f"the mail is {size // 1024 // 1024} MB, over the "
            f"{MAX_MAIL_BYTES // 1024 // 1024} MB limit; its text and files were not read",
        )
    if not base.sender:
        return _replace(base, refused="no sender address could be read")
    try:
        text, files, more = _walk(message)
    except Exception as exc:
        return _replace(base, refused=f"the mail's body could not be read: {exc}"[:300])
    notes += more
    text, had_controls = clean_text(text)
    if had_controls:
        notes.append("control characters (NUL and the like) removed from the text")
    if len(text) > MAX_TEXT:
        notes.append(f"text cut at {MAX_TEXT} characters")
        text = text[:MAX_TEXT]
    return _replace(base, text=text.strip(), files=tuple(files), notes=tuple(notes))


def _replace(mail: ParsedMail, **changes: object) -> ParsedMail:
    return replace(mail, **changes)  # type: ignore[arg-type]


def recipients(message: EmailMessage) -> list[str]:
    """Every address a mail goes to (To, Cc)."""
    return [a for _n, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
