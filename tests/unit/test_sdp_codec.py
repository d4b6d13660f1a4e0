"""Whether a re-offer lists the codec a call has (the desk then answers in it)."""

from __future__ import annotations

from softphone.sdp_codec import offers_codec

# linphonec 5.1's hold re-offer: its own order, mu-law before A-law.
LINPHONE = (
    "v=0\r\no=x 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 7078 RTP/AVP 96 97 98 0 8 18 99 100 101\r\n"
    "a=rtpmap:96 opus/48000/2\r\na=rtpmap:97 speex/16000\r\na=rtpmap:98 speex/8000\r\n"
    "a=rtpmap:18 G729/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n"
)


def test_static_payload_types_count_without_an_rtpmap() -> None:
    assert offers_codec(LINPHONE, "PCMA")
    assert offers_codec(LINPHONE, "pcmu")
    assert not offers_codec(LINPHONE, "G722")


def test_a_dynamic_payload_type_by_its_rtpmap() -> None:
    assert offers_codec(LINPHONE, "opus")
    assert not offers_codec(
        LINPHONE.replace("m=audio 7078 RTP/AVP 96 ", "m=audio 7078 RTP/AVP "), "opus"
    )


def test_no_audio_line_offers_nothing() -> None:
    assert not offers_codec("v=0\r\n", "PCMU")
