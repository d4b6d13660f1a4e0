"""Extensions outside the product (the reception desk, the engineer on call) that the
colleague directory lists beside the product's colleagues, with their line state as the PBX
tells it by SIP dialog events (``softphone.blf``): configured per site
(``[directory] outside_extensions = ["8001=Reception"]``), watched by the phone engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.config import Settings
from softphone import LineState


@dataclass(frozen=True, slots=True)
class OutsideLine:
    extension: str  # what is dialled (and watched)
    name: str  # as the site named it; the extension when it did not
    state: LineState = LineState.UNKNOWN
    status_code: int = 0  # the PBX's refusal, when NOT_OFFERED

    def matches(self, query: str) -> bool:
        """Every word of the query (case-blind) in the name or the extension."""
        fields = (self.name.casefold(), self.extension.casefold())
        return all(any(word in text for text in fields) for word in query.casefold().split())


def outside_extensions(settings: Settings) -> list[OutsideLine]:
    """The configured extensions, in the configured order, each once."""
    found: dict[str, OutsideLine] = {}
    for entry in settings.directory_outside_extensions:
        extension, _, name = entry.partition("=")
        extension, name = extension.strip(), name.strip()
        if extension and extension not in found:
            found[extension] = OutsideLine(extension, name or extension)
    return list(found.values())
