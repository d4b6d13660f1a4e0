"""Whether an SDP offer lists a codec, by name or by its static payload type (RFC 3551).

Used when the far end re-offers (its hold or resume): the desk answers in the codec the call
already has only when the offer allows it; otherwise pjsua answers as usual. Pure functions
over the SDP's text.
"""

from __future__ import annotations

# The static payload types of the codecs the desk speaks (RFC 3551, table 4).
STATIC = {"PCMU": "0", "PCMA": "8", "G722": "9"}


def offers_codec(sdp: str, codec: str) -> bool:
    """True when the first audio line of ``sdp`` lists ``codec`` ("PCMA", "G722")."""
    name = codec.upper()
    lines = [line.strip() for line in sdp.splitlines()]
    audio = next((line for line in lines if line.startswith("m=audio ")), None)
    if audio is None:
        return False
    formats = audio.split()[3:]
    if STATIC.get(name) in formats:
        return True
    for line in lines:
        if line.lower().startswith("a=rtpmap:"):
            number, _, rest = line[len("a=rtpmap:") :].partition(" ")
            if number in formats and rest.upper().startswith(name + "/"):
                return True
    return False
