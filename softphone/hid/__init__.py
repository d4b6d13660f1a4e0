"""USB HID telephony headsets: their buttons (hook switch, mute, flash) and LEDs.

``descriptor`` parses any vendor's HID report descriptor; ``telephony`` finds the telephony
usages in it and turns input reports into typed button events (and LED states into output
reports); ``device`` reaches the headset through hidapi on a reader thread of its own. Nothing
here knows of calls: the desk decides what a button means (agent_desktop.services.headset_buttons).
"""

from softphone.hid.telephony import (
    HeadsetButton,
    HeadsetEvent,
    HeadsetLeds,
    TelephonyDecoder,
    TelephonyMap,
)

__all__ = ["HeadsetButton", "HeadsetEvent", "HeadsetLeds", "TelephonyDecoder", "TelephonyMap"]
