"""What a dialog-event subscription (RFC 4235, "busy lamp field") says about an outside
extension's line, as one ``LineState``. Pure: the engine's ``softphone._blf`` reads pjsua's
subscription and first dialog, this decides; it never guesses past what the PBX said.

- The PBX refused the subscription (489 Bad Event: no dialog package; 404; 403…) or never
  answered it (408): NOT_OFFERED, with its code, until a later subscription succeeds.
- Active (a NOTIFY came): the first dialog's state. No dialog, or a terminated one: IDLE;
  trying / proceeding / early towards the extension: RINGING; early from it (it is dialling)
  or confirmed: BUSY.
- Anything else (sent, accepted or pending, nothing notified yet): UNKNOWN.
"""

from __future__ import annotations

from softphone.events import LineState

# pjsip_evsub_state's names (pjsip_evsub_get_state_name).
ACTIVE = "ACTIVE"
# A subscription pjsua ended with one of these never reached a notifier that serves dialog
# events: the PBX does not offer them (or not for this extension).
_REFUSED_FROM = 300


def line_state(subscription: str, term_code: int, dialog_state: str, direction: str) -> LineState:
    """``subscription``: pjsua's state name ("ACTIVE", "NULL", "TERMINATED"…);
    ``term_code``: the last final answer that ended it (0 while none); ``dialog_state`` and
    ``direction``: the first dialog of the last NOTIFY ("" when it had none)."""
    if subscription.upper() == ACTIVE:
        state = dialog_state.strip().lower()
        if state in ("", "terminated"):
            return LineState.IDLE
        if state in ("trying", "proceeding", "early"):
            return LineState.BUSY if direction.strip().lower() == "initiator" else LineState.RINGING
        return LineState.BUSY  # confirmed (or a state RFC 4235 does not name: in use)
    if term_code >= _REFUSED_FROM:
        return LineState.NOT_OFFERED
    return LineState.UNKNOWN


def line_uri(extension: str, domain: str, transport: str = "udp") -> str:
    """The URI an extension is watched at: a whole SIP URI as given, else the user at the
    account's domain, over the account's transport (the rule ``dial`` uses for a number)."""
    extension = "".join(extension.split())
    if extension.lower().startswith(("sip:", "sips:")):
        return extension
    uri = f"sip:{extension}@{domain}"
    if transport.lower() != "udp":
        uri += f";transport={transport.lower()}"  # else pjsip looks for a UDP transport
    return uri
