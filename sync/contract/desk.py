"""The centre's desk settings: Not Ready reasons, wrap-up dispositions, after-call work time,
ring-out time, ticket categories. These are the shipped defaults: the backend stores the
centre's own (seeded from these), admins change them (``PUT /desk-settings``, or
``agent-server desk-settings import``), and the desktop falls back on these until the server
has answered once (a first start offline).

``signed_in`` and ``missed_call`` are reasons the desktop sets by itself, never offered; a
centre may reword them but not remove them. ``settings_problems`` is the one rule book for a
centre's settings, for the route and the command line alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sync.contract.wire import (
    GUARDED_ACTIONS,
    IDENTITY_CHECKS,
    DeskCode,
    DeskSettings,
)

SIGNED_IN = "signed_in"
MISSED_CALL = "missed_call"
# The disposition of a call whose wrap-up ran out before the agent chose one (the notes typed
# are saved with it). Not the queue's usual outcome: that would claim a result nobody chose;
# this one lets a lead's report find the calls that still need a real disposition.
WRAP_UP_TIMED_OUT = "timed_out"
# The disposition of a call the desk closed because the agent left it (quit, sign-out, the
# lead's log-out) before one was chosen: during its ring (declined, the queue routes it on),
# its talk (BYE) or its wrap-up (the notes typed so far are saved with it). Like timed_out,
# it claims no outcome; a lead's report finds the calls to follow up.
ENDED_BY_SIGN_OUT = "signed_out"
# The codes the desk sets by itself, never offered in the wrap-up form: their labels, for
# whoever shows a call's history or a report.
AUTOMATIC_DISPOSITIONS = (
    DeskCode(code=WRAP_UP_TIMED_OUT, en="Wrap-up timed out", zh="整理超时"),
    DeskCode(code=ENDED_BY_SIGN_OUT, en="Ended by sign-out", zh="因签出结束"),
)
AUTOMATIC_REASONS = (SIGNED_IN, MISSED_CALL)
# Codes the desk writes by itself and a centre may not offer for picking.
RESERVED_DISPOSITIONS = (WRAP_UP_TIMED_OUT,)

DEFAULT_DESK_SETTINGS = DeskSettings(
    not_ready_reasons=[
        DeskCode(code=SIGNED_IN, en="Just signed in", zh="刚登录"),
        DeskCode(code="break", en="Break", zh="休息"),
        DeskCode(code="lunch", en="Lunch", zh="用餐"),
        DeskCode(code="meeting", en="Meeting", zh="会议"),
        DeskCode(code="training", en="Training", zh="培训"),
        DeskCode(code="callback_work", en="Callback work", zh="回访工作"),
        DeskCode(code=MISSED_CALL, en="Missed call", zh="未接来电"),
    ],
    dispositions=[
        DeskCode(code="resolved", en="Resolved on the call", zh="电话中已解决"),
        DeskCode(code="ticket", en="Ticket created / updated", zh="已建/更新工单"),
        DeskCode(code="dispatch", en="Field dispatch arranged", zh="已安排上门"),
        DeskCode(code="callback", en="Callback promised", zh="已约定回电"),
        DeskCode(code="info", en="Information only", zh="仅咨询"),
        DeskCode(code="complaint", en="Complaint recorded", zh="已记录投诉"),
        DeskCode(code="wrong_number", en="Wrong number / silent", zh="打错/无声"),
        DeskCode(code="no_answer", en="No answer (outbound)", zh="无人接听（外呼）"),
    ],
    default_wrap_up_s=30,
    wrap_up_s={"VIP hotline": 60, "Complaints": 90},
    ring_no_answer_s=20,
    ticket_categories=[
        DeskCode(code="fault", en="Fault", zh="故障"),
        DeskCode(code="fault.power", en="Will not power on", zh="无法开机"),
        DeskCode(code="fault.alarm", en="Alarm or error code", zh="报警/错误代码"),
        DeskCode(code="fault.display", en="Display", zh="显示异常"),
        DeskCode(code="fault.reading", en="Wrong or lost readings", zh="读数异常"),
        DeskCode(code="fault.leak", en="Leak", zh="漏液"),
        DeskCode(code="fault.paper", en="Paper jam or feed", zh="卡纸/进纸"),
        DeskCode(code="fault.print", en="Print quality", zh="打印质量"),
        DeskCode(code="fault.network", en="Network or connection", zh="网络/连接"),
        DeskCode(code="maintenance", en="Maintenance", zh="维护保养"),
        DeskCode(code="maintenance.preventive", en="Preventive maintenance", zh="预防性维护"),
        DeskCode(code="maintenance.calibration", en="Calibration", zh="校准"),
        DeskCode(code="consumables", en="Consumables", zh="耗材"),
        DeskCode(code="consumables.order", en="Order or quote", zh="订购/报价"),
        DeskCode(code="consultation", en="Consultation", zh="咨询"),
        DeskCode(code="consultation.usage", en="How to use", zh="使用方法"),
        DeskCode(code="consultation.warranty", en="Warranty and contract", zh="保修与合同"),
        DeskCode(code="complaint", en="Complaint", zh="投诉"),
        DeskCode(code="complaint.service", en="Service (late, rude, no-show)", zh="服务投诉"),
        DeskCode(code="complaint.quality", en="Product quality", zh="质量投诉"),
    ],
)


# -- what a centre may set ------------------------------------------------------------------

WRAP_UP_RANGE_S = (0, 3600)  # 0: no after-call work, straight back to Ready
RING_NO_ANSWER_RANGE_S = (5, 300)
LABEL_MAX = 80
QUEUE_NAME_MAX = 120
CODE_MAX = 40  # a ticket's category is stored in 40 characters
# A reason or disposition code is an identifier (stored on interactions and presence, read by
# reports); a category code is identifiers joined by dots, each level under its parent.
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@dataclass(frozen=True)
class SettingsProblem:
    field: str  # e.g. "dispositions.2.code"
    message: str


def _control(text: str) -> str | None:
    for char in text:
        if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            return f"U+{ord(char):04X}"
    return None


def _code_problems(
    section: str, codes: list[DeskCode], pattern: re.Pattern[str]
) -> list[SettingsProblem]:
    problems: list[SettingsProblem] = []
    seen: set[str] = set()
    for index, item in enumerate(codes):
        where = f"{section}.{index}"
        if not pattern.match(item.code) or len(item.code) > CODE_MAX:
            shape = "lower-case words joined by dots" if pattern is _CATEGORY else "an identifier"
            problems.append(
                SettingsProblem(
                    f"{where}.code",
                    f"the code {item.code!r} must be {shape} (a-z, 0-9, _; a letter first; "
                    f"at most {CODE_MAX} characters)",
                )
            )
        elif item.code in seen:
            problems.append(
                SettingsProblem(f"{where}.code", f"the code {item.code!r} is listed twice")
            )
        seen.add(item.code)
        for language in ("en", "zh"):
            label: str = getattr(item, language)
            if not label.strip():
                problems.append(
                    SettingsProblem(f"{where}.{language}", f"{item.code!r} needs a label")
                )
            elif len(label) > LABEL_MAX:
                problems.append(
                    SettingsProblem(
                        f"{where}.{language}",
                        f"the label of {item.code!r} is longer than {LABEL_MAX} characters",
                    )
                )
            elif (found := _control(label)) is not None:
                problems.append(
                    SettingsProblem(
                        f"{where}.{language}",
                        f"the label of {item.code!r} contains the control character {found}",
                    )
                )
    return problems


def _seconds_problem(
    field: str, what: str, value: int, bounds: tuple[int, int]
) -> list[SettingsProblem]:
    low, high = bounds
    if low <= value <= high:
        return []
    return [SettingsProblem(field, f"{what} must be from {low} to {high} seconds, not {value}")]


def settings_problems(settings: DeskSettings) -> list[SettingsProblem]:
    """Everything wrong with a centre's settings, each naming its field; [] when they may be
    stored. The desk relies on its own reasons (``signed_in``, ``missed_call``) being listed
    and on ``timed_out`` meaning only "the wrap-up ran out"."""
    problems = _code_problems("not_ready_reasons", settings.not_ready_reasons, _CODE)
    reasons = {c.code for c in settings.not_ready_reasons}
    for code in AUTOMATIC_REASONS:
        if code not in reasons:
            problems.append(
                SettingsProblem(
                    "not_ready_reasons",
                    f"the reason {code!r} is set by the desk itself and cannot be removed "
                    "(its label may change)",
                )
            )
    if not reasons - set(AUTOMATIC_REASONS):
        problems.append(
            SettingsProblem("not_ready_reasons", "agents need at least one reason to choose")
        )
    problems += _code_problems("dispositions", settings.dispositions, _CODE)
    for index, item in enumerate(settings.dispositions):
        if item.code in RESERVED_DISPOSITIONS:
            problems.append(
                SettingsProblem(
                    f"dispositions.{index}.code",
                    f"{item.code!r} is written by the desk when a wrap-up runs out; "
                    "it cannot be offered",
                )
            )
    if not settings.dispositions:
        problems.append(SettingsProblem("dispositions", "agents need at least one disposition"))
    problems += _code_problems("ticket_categories", settings.ticket_categories, _CATEGORY)
    categories = {c.code for c in settings.ticket_categories}
    for index, item in enumerate(settings.ticket_categories):
        parent = item.code.rpartition(".")[0]
        if parent and parent not in categories:
            problems.append(
                SettingsProblem(
                    f"ticket_categories.{index}.code",
                    f"{item.code!r} is under {parent!r}, which is not listed",
                )
            )
    problems += _seconds_problem(
        "default_wrap_up_s", "the wrap-up time", settings.default_wrap_up_s, WRAP_UP_RANGE_S
    )
    for queue, seconds in settings.wrap_up_s.items():
        field = f"wrap_up_s.{queue}"
        if not queue.strip() or len(queue) > QUEUE_NAME_MAX or _control(queue) is not None:
            problems.append(
                SettingsProblem(
                    field,
                    f"a queue's name must be 1 to {QUEUE_NAME_MAX} characters, "
                    "without control characters",
                )
            )
        problems += _seconds_problem(
            field, f"the wrap-up time of {queue!r}", seconds, WRAP_UP_RANGE_S
        )
    problems += _seconds_problem(
        "ring_no_answer_s",
        "the ring-no-answer time",
        settings.ring_no_answer_s,
        RING_NO_ANSWER_RANGE_S,
    )
    problems += _required_checks_problems(settings.required_checks)
    return problems


def wrap_up_for(settings: DeskSettings, queue: str) -> int:
    """The after-call work time for a call of ``queue``: the queue's own (set on the queue by
    the centre's admins, contract 1.6), else the document's time for that queue name, else
    the centre's default."""
    own = settings.queues.get(queue)
    if own is not None and own.wrap_up_s is not None:
        return own.wrap_up_s
    return settings.wrap_up_s.get(queue, settings.default_wrap_up_s)


def _required_checks_problems(required: dict[str, list[str]]) -> list[SettingsProblem]:
    problems = []
    for action, checks in required.items():
        if action not in GUARDED_ACTIONS:
            problems.append(
                SettingsProblem(
                    f"required_checks.{action}",
                    f"{action!r} is not an action checks can guard ({', '.join(GUARDED_ACTIONS)})",
                )
            )
        for index, check in enumerate(checks):
            if check not in IDENTITY_CHECKS:
                problems.append(
                    SettingsProblem(
                        f"required_checks.{action}.{index}",
                        f"{check!r} is not an identity check ({', '.join(IDENTITY_CHECKS)})",
                    )
                )
    return problems


def missing_checks(settings: DeskSettings, action: str, ticked: Iterable[str]) -> list[str]:
    """The checks ``action`` needs that were not ticked, in the centre's order; [] when it may
    go ahead. One rule for the desk (which blocks) and the server (which refuses)."""
    have = set(ticked)
    return [check for check in settings.required_checks.get(action, []) if check not in have]
