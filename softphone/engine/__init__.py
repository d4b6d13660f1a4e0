"""The phone engine: pjsua2 and the headset bridge in their own process, supervised by the
desk (``softphone.Phone``), talking over a local typed channel (``protocol``). A burst that
aborts pjlib, a hang or a crash takes this process down, never the desk."""
