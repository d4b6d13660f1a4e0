"""The centre's desk settings as shipped: Not Ready reasons, wrap-up dispositions, after-call
work time, ring-out time. The backend serves these at ``/desk-settings`` (a real deployment
reads them from its workforce-management system); the desktop falls back on them until the
server has answered once (a first start offline).

``signed_in`` and ``missed_call`` are reasons the desktop sets by itself, never offered.
"""

from __future__ import annotations

from sync.contract.wire import DeskCode, DeskSettings

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


def category_label(code: str, language: str, settings: DeskSettings | None = None) -> str:
    """ "故障 › 报警/错误代码" for "fault.alarm"; an unknown code is shown as it is."""
    codes = {c.code: c for c in (settings or DEFAULT_DESK_SETTINGS).ticket_categories}
    parts = []
    path = code.split(".")
    for depth in range(1, len(path) + 1):
        known = codes.get(".".join(path[:depth]))
        if known is None:
            return code
        parts.append(known.zh if language.startswith("zh") else known.en)
    return " › ".join(parts)
