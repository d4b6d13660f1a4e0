"""Reading customers' mail (issue 22): odd charsets decoded, broken MIME and NUL bytes
survived, machines' mail recognised, ticket numbers found, file names made safe, limits kept.
``read_mail`` never raises."""

from __future__ import annotations

import base64
import quopri

import pytest

from server_stub.channels.email_parse import (
    MAX_FILE_BYTES,
    MAX_MAIL_BYTES,
    read_mail,
    safe_file_name,
)


def _mail(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("utf-8") + b"\r\n" + body  # 8-bit headers occur too


def test_gbk_text_labelled_gb2312_is_read() -> None:
    text = "打印机卡纸，镕字也在".encode("gbk")  # 镕 is GBK, not GB2312
    raw = _mail(
        "From: a@b.cn\nSubject: =?gb2312?B?"
        + base64.b64encode("卡纸".encode("gbk")).decode()
        + "?=\nMessage-ID: <1@b.cn>\nContent-Type: text/plain; charset=gb2312\n"
        "Content-Transfer-Encoding: 8bit\n",
        text,
    )
    mail = read_mail(raw)
    assert mail.subject == "卡纸"
    assert "镕字" in mail.text
    assert not mail.refused
    assert not mail.automatic


def test_big5_quoted_printable_and_gb18030() -> None:
    big5 = quopri.encodestring("印表機卡紙".encode("big5")).decode("ascii")
    raw = _mail(
        "From: a@b.tw\nSubject: x\nContent-Type: text/plain; charset=big5\n"
        "Content-Transfer-Encoding: quoted-printable\n",
        big5.encode("ascii"),
    )
    assert "印表機卡紙" in read_mail(raw).text
    raw = _mail(
        "From: a@b.cn\nSubject: x\nContent-Type: text/plain; charset=gb18030\n",
        "𠀀 扩展字".encode("gb18030"),
    )
    assert "扩展字" in read_mail(raw).text


def test_wrong_or_unknown_charset_is_said_in_a_note() -> None:
    raw = _mail(
        "From: a@b.cn\nSubject: x\nContent-Type: text/plain; charset=x-unknown-42\n",
        "你好".encode(),
    )
    mail = read_mail(raw)
    assert mail.text == "你好"
    assert any("did not fit" in n for n in mail.notes)
    raw = _mail(
        "From: a@b.cn\nSubject: x\nContent-Type: text/plain; charset=utf-8\n", b"\xff\xfe\xfa"
    )
    assert read_mail(raw).text  # read as GB18030 or with replacement characters, said


def test_nul_bytes_and_controls_are_removed_and_said() -> None:
    raw = _mail("From: a@b.cn\nSubject: a\x00b\nContent-Type: text/plain\n", b"he\x00llo\x07")
    mail = read_mail(raw)
    assert "\x00" not in mail.text + mail.subject
    assert mail.text == "hello"
    assert any("control characters" in n for n in mail.notes)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02garbage",
        b'From: a@b.cn\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nbroken',
        b"From: a@b.cn\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all",
        b"From: =?utf-8?B?!!!notbase64?= <a@b.cn>\r\nSubject: =?gbk?Q?=ZZ?=\r\n\r\nx",
        b'From: a@b.cn\r\nContent-Type: text/plain; charset="\r\n\r\nx',
        b"From: a@b.cn\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!not base64",
    ],
)
def test_broken_mail_never_raises(raw: bytes) -> None:
    mail = read_mail(raw)
    assert mail.message_id.startswith("<")
    if not mail.sender:
        assert mail.refused


def test_machines_mail_is_recognised() -> None:
    def auto(headers: str) -> str:
        return read_mail(_mail("From: a@b.cn\nSubject: hi\n" + headers, b"x")).automatic

    assert auto("Auto-Submitted: auto-replied\n")
    assert not auto("Auto-Submitted: no\n")
    assert auto("Precedence: bulk\n")
    assert auto("X-Autoreply: yes\n")
    assert auto("Return-Path: <>\n")
    assert read_mail(_mail("From: MAILER-DAEMON@b.cn\nSubject: x\n", b"x")).automatic
    assert read_mail(_mail("From: a@b.cn\nSubject: 自动回复：休假中\n", b"x")).automatic
    assert not auto("")


def test_ticket_numbers_and_thread() -> None:
    raw = _mail(
        "From: a@b.cn\nSubject: Re: [SR-20261206-000042] and SR-20261206-7-K3M-004\n"
        "In-Reply-To: <aw.1@x>\nReferences: <first@c> <aw.1@x>\n",
        b"x",
    )
    mail = read_mail(raw)
    assert mail.ticket_numbers == ("SR-20261206-000042", "SR-20261206-7-K3M-004")
    assert mail.answers[0] == "<aw.1@x>"


def test_file_names_are_made_safe() -> None:
    assert safe_file_name("../../etc/passwd", 1) == "passwd"
    assert safe_file_name("C:\\Users\\x\\报告.pdf", 1) == "报告.pdf"
    assert safe_file_name(".bashrc", 1) == "bashrc"
    assert safe_file_name("a\x00b<>.txt", 1) == "ab__.txt"
    assert safe_file_name("", 3) == "attachment-3"
    long = safe_file_name("x" * 500 + ".docx", 1)
    assert len(long) <= 120
    assert long.endswith(".docx")


def test_files_kept_within_limits() -> None:
    boundary = "b1"
    small = base64.b64encode(b"photo").decode()
    big = base64.b64encode(b"\0" * (MAX_FILE_BYTES + 1)).decode()
    body = (
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n看附件\r\n"
        f"--{boundary}\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; "
        f'filename="../a.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n{small}\r\n'
        f"--{boundary}\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; "
        f'filename="huge.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n{big}\r\n'
        f"--{boundary}--\r\n"
    )
    raw = _mail(
        f'From: a@b.cn\nSubject: x\nContent-Type: multipart/mixed; boundary="{boundary}"\n',
        body.encode(),
    )
    mail = read_mail(raw)
    assert [(f.name, f.data) for f in mail.files] == [("a.jpg", b"photo")]
    assert any("huge.zip" in n and "limit" in n for n in mail.notes)
    assert mail.text == "看附件"


def test_a_mail_over_the_size_limit_is_refused_by_its_headers() -> None:
    mail = read_mail(_mail("From: a@b.cn\nSubject: big\n", b""), size=MAX_MAIL_BYTES + 1)
    assert "over the" in mail.refused
    assert mail.sender == "a@b.cn"
