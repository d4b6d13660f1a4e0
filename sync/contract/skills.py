"""Skills with levels, where they matter: which skill a product line needs, and who is best
for it. One rule for both ends: the server routes a knowledge question with it, the desk ranks
the dispatch form's engineers and the handover list's experts with it.

A person's skills are ``(skill, level)`` pairs, level 1 to 10 (10 the best). Names compare
without case: "Infusion Pumps" and "infusion pumps" are one skill.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sync.contract.rules import HANDOVER_SKILLS

# Product lines are sometimes recorded in Chinese while the skills are the English product-line
# names; this maps the ones our hotlines use, so the product still finds its skill.
PRODUCT_LINE_SKILLS = {
    "输液泵": "Infusion Pumps",
    "监护仪": "Patient Monitors",
    "病人监护仪": "Patient Monitors",
    "分析仪": "Analyzers",
    "生化分析仪": "Analyzers",
    "超声": "Ultrasound",
    "口腔影像": "Dental Imaging",
}
LEVEL_MIN, LEVEL_MAX = 1, 10


def skill_for(product_line: str) -> str:
    """The skill a product line needs ("" for none)."""
    line = product_line.strip()
    return PRODUCT_LINE_SKILLS.get(line, line)


def level_in(skills: Iterable[tuple[str, int]], skill: str) -> int:
    """The person's level in ``skill``; 0 when they do not hold it (or no skill is asked)."""
    wanted = skill.strip().casefold()
    if not wanted:
        return 0
    return max((level for name, level in skills if name.strip().casefold() == wanted), default=0)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone a piece of work may go to: their id, name and skills with levels."""

    id: int
    name: str
    skills: tuple[tuple[str, int], ...]


def experts_for(people: Sequence[Candidate], skill: str) -> list[Candidate]:
    """Who a question or a handover about ``skill`` goes to, best first: those who hold the
    skill, by level; then the second-line experts and the on-duty engineer (by their
    second-line level); nobody else. Ties by name, so the order is stable."""

    def key(person: Candidate) -> tuple[int, int, int, str]:
        matched = level_in(person.skills, skill)
        second_line = max(level_in(person.skills, s) for s in sorted(HANDOVER_SKILLS))
        return (0 if matched else 1, -matched, -second_line, person.name)

    chosen = [
        p
        for p in people
        if level_in(p.skills, skill) or any(level_in(p.skills, s) for s in HANDOVER_SKILLS)
    ]
    return sorted(chosen, key=key)
