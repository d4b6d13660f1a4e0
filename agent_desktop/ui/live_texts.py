"""Texts that follow the language switched at run time (``i18n.LanguageSwitcher``).

A window binds each text once, as a setter and a function that translates it
(``texts.bind(action.setText, lambda: self.tr("&Quit"))``); on ``QEvent.LanguageChange`` it
calls ``retranslate()`` and every bound text is translated again. This is Qt's
``retranslateUi`` without a second copy of every string in a separate method, where the two
copies would drift apart.
"""

from __future__ import annotations

from collections.abc import Callable


class LiveTexts:
    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[str], object], Callable[[], str]]] = []

    def bind(self, setter: Callable[[str], object], text: Callable[[], str]) -> None:
        """Set the text now and again at every ``retranslate``. Bind only what lives as long
        as the window that owns this (its own actions, menus, labels)."""
        setter(text())
        self._bound.append((setter, text))

    def retranslate(self) -> None:
        for setter, text in self._bound:
            setter(text())
