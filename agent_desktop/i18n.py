"""Loading translations: ours (``translations/agent_desktop_<lang>.qm``) and Qt's own."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

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
