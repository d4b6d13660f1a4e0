"""The centre's desk settings as shipped: Not Ready reasons, wrap-up dispositions, after-call
work time, ring-out time. The backend serves these at ``/desk-settings`` (a real deployment
reads them from its workforce-management system); the desktop falls back on them until the
server has answered once (a first start offline).

``signed_in`` and ``missed_call`` are reasons the desktop sets by itself, never offered.
"""

from __future__ import annotations

from sync.wire import DeskCode, DeskSettings

SIGNED_IN = "signed_in"
MISSED_CALL = "missed_call"
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
)
