"""Click-to-dial and the keypad, through the site's dial plan.

Every number the desk offers to call (the 360's contacts, callbacks, dispatch contacts, a
lead's "call the customer", what the agent types) comes here: the dial plan turns it into
what the trunk dials (outside line, national or local form) and splits off an extension,
which is sent as DTMF once the far end has answered — never dialled as part of the number
(``sip:+861065295114ext.2301@…`` reaches nobody).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from softphone import CallInfo, CallState, Phone, PhoneError
from softphone.dial_plan import DialPlan

log = logging.getLogger(__name__)

# After the 200 OK the far end (an auto-attendant) needs a moment before it listens for keys;
# digits sent at once are often lost on real PBXs.
DTMF_DELAY_MS = 800


class Dialler(QObject):
    def __init__(
        self,
        phone: Phone,
        plan: DialPlan,
        parent: QObject | None = None,
        *,
        dtmf_delay_ms: int = DTMF_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self._phone = phone
        self._delay_ms = dtmf_delay_ms
        self._extensions: dict[int, str] = {}  # call id -> digits to send once connected
        phone.call_state_changed.connect(self._on_call)

    def dial(self, text: str, headers: dict[str, str] | None = None) -> CallInfo:
        """Dial ``text`` as the desk shows it; raises PhoneError with a sentence."""
        dialling = self.plan.dialling(text)
        info = self._phone.dial(dialling.number or text, headers)
        if dialling.dtmf:
            self._extensions[info.call_id] = dialling.dtmf
        log.info("dialled %s (extension %s)", dialling.number, dialling.dtmf or "none")
        return info

    def pending_extension(self, call_id: int) -> str:
        return self._extensions.get(call_id, "")

    def _on_call(self, call: CallInfo) -> None:
        if call.state == CallState.ENDED:
            self._extensions.pop(call.call_id, None)
            return
        if call.state == CallState.CONNECTED and call.call_id in self._extensions:
            digits = self._extensions.pop(call.call_id)
            QTimer.singleShot(self._delay_ms, self, lambda: self._send(call.call_id, digits))

    def _send(self, call_id: int, digits: str) -> None:
        call = self._phone.call(call_id)
        if call is None or call.state not in (CallState.CONNECTED, CallState.HELD):
            return  # hung up meanwhile
        try:
            self._phone.send_dtmf(call_id, digits)
        except PhoneError as exc:
            log.warning("extension %s on call %d not sent: %s", digits, call_id, exc)
