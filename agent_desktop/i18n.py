"""Loading translations: ours (``translations/agent_desktop_<lang>.qm``) and Qt's own."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
SUPPORTED = ("en", "zh_CN")


def resolve_language(setting: str, system_locale: str | None = None) -> str:
    """``auto`` follows the system locale: any Chinese locale gets zh_CN, everything else en."""
    if setting != "auto":
        return setting
    name = system_locale or QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else "en"


def install_translators(app: QCoreApplication, language: str) -> tuple[list[QTranslator], str]:
    """Install translators for ``language``.

    Returns the translators (keep them alive) and a problem to show the user, or ''.
    """
    if language == "en":
        return [], ""
    translators: list[QTranslator] = []
    ours = QTranslator(app)
    qm = TRANSLATIONS_DIR / f"agent_desktop_{language}.qm"
    problem = ""
    if ours.load(str(qm)):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        problem = f"The {language} translation ({qm}) is missing; run 'make translations'."
        log.warning(problem)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        translators.append(qt)
    QLocale.setDefault(QLocale(language))
    return translators, problem


class LanguageSwitcher(QObject):
    """The language of the running app: swaps our and Qt's translators without a restart.

    Installing or removing a translator makes Qt send every widget a ``LanguageChange`` event;
    windows answer it by setting their texts again (``changeEvent`` -> ``retranslate``).
    ``changed`` follows, for what is not a widget (menus built from server codes, models).
    """

    changed = Signal(str)  # the language now in use: en | zh_CN

    def __init__(self, app: QCoreApplication, language: str, locked: bool = False) -> None:
        super().__init__(app)
        self._app = app
        self._translators: list[QTranslator] = []
        self.language = "en"
        self.locked = locked  # machine policy: IT chose the language (agent_desktop.policy)
        self.problem = self._install(language)

    def _install(self, language: str) -> str:
        for old in self._translators:
            self._app.removeTranslator(old)
        self._translators, problem = install_translators(self._app, language)
        if language == "en":
            QLocale.setDefault(QLocale("en_US"))
        self.language = language
        return problem

    def switch(self, language: str) -> str:
        """Use ``language`` (en | zh_CN) from now on; a problem to show the user, or ''."""
        if language == self.language or language not in SUPPORTED:
            return ""
        problem = self._install(language)
        self.changed.emit(language)
        return problem
