"""The contract's version, carried both ways in a header, and who serves whom.

A centre never upgrades 400 desks and its server in the same minute. Rules:

- A minor step only adds: new optional request fields the server defaults, new answer fields
  (desks read answers tolerantly, ``WireModel.read``), new routes. Both ends serve the other's
  previous minor version.
- A major step may remove or change; the server tells a desk of an older major, or older than
  ``OLDEST_DESK``, to update (HTTP 426, code ``desk_too_old``), in the agent's language on the
  desk.
- Each request carries ``X-AW-Contract: <major>.<minor>``; each answer the server's. A request
  without it is a desk of contract 1.0 (the releases before the header existed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = "X-AW-Contract"


@dataclass(frozen=True, order=True)
class ContractVersion:
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


# 1.2: POST /batch (a desk sends its outbox in batches; one write per request to an older server,
# which answers 404 there) and the first-sync snapshot route (sync.contract.snapshot; an older
# server answers 404 and the desk pulls the feed).
# 1.3: GET /directory (colleagues with presence, queues to transfer to; an older server answers
# 404 and the desk builds the directory from its cache) and QueueOut.extension.
# 1.4: POST /presence/heartbeat (sync.contract.alive: a silent desk is marked lost; an older
# server answers 404 and the desk stops sending). A desk before 1.4 sends none: the server
# never marks it lost (see server_stub.presence_alive).
# 1.5: every answer says which desk releases are current (the X-AW-Desk-* headers of
# sync.contract.release); a desk before 1.5 ignores them, a server before 1.5 sends none.
# 1.6:
# - ArticleOut.asked (the questions the experts answered with an article; the desks search
#   them) and QuestionAnswer.article_id (answer with an existing article: a 1.5 server
#   refuses the field, so a desk sends it only to 1.6 servers); the KB synonym table
#   (/kb/synonyms, change-feed entity kb_synonym: a 1.5 server answers 404, and the desk
#   searches with its shipped seed table alone).
# - Preferences.compact_call_bar (the compact always-on-top call bar, issue 19); a desk sends it
#   only to a server of 1.6 or later (a 1.5 server refuses a field it does not know) and an
#   older server's profile simply does not carry it.
# - GET/PUT /sla-policies and PUT /teams/{id}/manager (admins: sync.contract.sla; an older
#   server answers 404 and the admin page says the server keeps its fixed policy), the
#   sla_policies.changed event, TeamDetailOut.manager_id, TicketOut.escalated_to /
#   escalation_target / escalation_label_en / escalation_label_zh and
#   EscalationData.escalated_to / reason (a desk before 1.6 drops them; from a 1.5 server the
#   desk shows the level and the history's names).
# - /admin/roles, /admin/users, /admin/teams, /admin/import/{preview,apply} (issue 27;
#   a 1.5 server answers 404: the desk's Administration area says the server has none),
#   POST /auth/password, must_change_password on the sign-in answer and /me, the event kind
#   access.changed (a desk asks /me again; a 1.5 desk ignores kinds it does not know).
# - PUT /queues/{id}/settings, PUT /teams/{id}/policy, GET /skills,
#   PUT /skills/{skill}, GET /skills/agents (the PBX's skill-based routing); QueueOut.wrap_up_s,
#   .service_level_s, .service_level_pct, .announcement; DeskSettings.queues and .team_policies
#   (a 1.5 server sends neither: the desk keeps the document's wrap-up times); QuestionOut.experts.
# - A team's alert thresholds and alerts on the server (sync.contract.alerts:
#   GET/PUT /teams/{id}/alert-thresholds, GET /alerts, POST /alerts/{id}/ack, events "alert" and
#   "alert.thresholds"; an older server answers 404 and the lead's desk evaluates alerts itself
#   as before, saying so); InteractionIn/Out.checks (verify-on-file ticks);
#   CustomerPatch.checks; DeskSettings.required_checks.
# 1.7:
# - Recordings (issue 20, sync.contract.recordings): POST /recordings/events (a desk's pause and
#   resume, through its outbox; a 1.6 server answers 404 and the desk drops the event, logged),
#   GET /recordings/paused (the lead's board: calls paused now), event "recording.pause".
# - InteractionIn/Out.recording_id: the call's recording (sent only to a 1.7 server).
# - Call recordings (issue 20, sync.contract.recordings): the tus upload at
#   /recordings/uploads (POST creates, HEAD tells the offset, PATCH appends), GET /recordings,
#   /recordings/{id}, /recordings/{id}/audio (HTTP Range) and GET/PUT
#   /teams/{id}/recording-retention. A 1.6 server answers 404: the desk keeps its recordings in
#   its spool and says so once; the players say the server keeps none.
# - Quality scoring (质检, sync.contract.quality): /qa/scorecards (+ /{id}, /{id}/versions/{v}),
#   /qa/calls, /qa/sample, /qa/evaluations (+ /{id}, /{id}/acknowledge, /dispute, /answer),
#   /qa/calibration; the event kind qa.evaluation; the permissions qa.score,
#   qa.manage_scorecards, qa.view_own and the stored role "qa". A 1.6 server answers 404: the
#   desk's Quality window says the server has no quality scoring.
# 1.8:
# - Reports (issue 21, sync.contract.reports): GET /reports/dimensions, /reports/traffic,
#   /reports/handling, /reports/service, /reports/people, /reports/drill (the filter as query
#   parameters); the permissions report.view and report.view_own. A 1.7 server answers 404: the
#   desk's Reports view says the server has no reports.
# - InteractionIn/Out.wrap_up_s, .transfers, .product_line (after-call work, transfers, the
#   product the call was about; sent only to a 1.8 server, a 1.7 server's calls count 0).
CONTRACT = ContractVersion(1, 8)  # what this code speaks
REPORTS_SINCE = ContractVersion(1, 8)
QUALITY_SINCE = ContractVersion(1, 7)
ADMIN_SINCE = ContractVersion(1, 6)
BATCH_SINCE = ContractVersion(1, 2)
DIRECTORY_SINCE = ContractVersion(1, 3)
HEARTBEAT_SINCE = ContractVersion(1, 4)
RELEASE_HEADERS_SINCE = ContractVersion(1, 5)
COMPACT_CALL_BAR_SINCE = ContractVersion(1, 6)
ANSWER_WITH_ARTICLE_SINCE = ContractVersion(1, 6)
KB_SYNONYMS_SINCE = ContractVersion(1, 6)
SLA_POLICIES_SINCE = ContractVersion(1, 6)
CENTRE_ADMIN_SINCE = ContractVersion(1, 6)  # queue, team-policy and skill routes
SERVER_ALERTS_SINCE = ContractVersion(1, 6)
RECORDINGS_SINCE = ContractVersion(1, 7)
# The oldest desk this server serves; a desk without the header speaks 1.0.
OLDEST_DESK = ContractVersion(1, 0)
LEGACY = ContractVersion(1, 0)
# DeskSettings fields a desk of contract 1.0 (a strict reader) must not be sent.
DESK_SETTINGS_1_6 = frozenset({"queues", "team_policies", "required_checks"})

_FORM = re.compile(r"^(\d{1,3})\.(\d{1,3})$")


class ContractVersionError(ValueError):
    """A header that is not ``<major>.<minor>``."""


def parse_version(text: str | None) -> ContractVersion:
    """The version a header names; no header is ``LEGACY``."""
    if text is None or not text.strip():
        return LEGACY
    match = _FORM.match(text.strip())
    if match is None:
        raise ContractVersionError(
            f"{HEADER} must be <major>.<minor> (e.g. {CONTRACT}), not {text[:20]!r}"
        )
    return ContractVersion(int(match.group(1)), int(match.group(2)))


def serves_desk(server: ContractVersion, desk: ContractVersion) -> bool:
    """Whether a server of ``server`` serves a desk speaking ``desk``: the same major, and not
    older than the oldest desk it still serves. A desk newer than the server is served too
    (it reads older answers and sends only what that server's minor takes)."""
    return desk.major == server.major and desk >= OLDEST_DESK
