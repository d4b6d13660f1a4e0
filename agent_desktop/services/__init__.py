"""QObject facades between widgets and softphone/ + sync/: typed signals, non-blocking methods.

Widgets call only these; nothing here imports QtWidgets.
"""
