"""The knowledge base's synonym table (contract 1.6): spoken forms agents type and the article
words they stand for, managed by the experts (``kb.answer``) from the desk, read by every desk
through the change feed. Every change is audited with what it was before."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, require
from server_stub.api.routes.common import IdPath, bad_field, get_or_404
from server_stub.api.writes import check_version, write
from server_stub.feed import audit, record_change, record_deletion
from server_stub.models import SynonymRow
from server_stub.serialize import synonym_out
from sync.contract.kb_words import SEARCH_STOPWORDS as STOPWORDS
from sync.contract.kb_words import fold
from sync.contract.wire import RecordVersion, SynonymIn, SynonymOut, SynonymPatch

router = APIRouter(prefix="/kb/synonyms", tags=["knowledge base"])
ENTITY = "kb_synonym"
Reader = Annotated[Caller, Depends(require("kb.read"))]
Expert = Annotated[Caller, Depends(require("kb.answer"))]


def folded(word: str) -> str:
    """As the desks fold a query (``kb_words.fold``), without the spaces around it."""
    return fold(word).strip()


MAX_WORD = 40  # characters of a spoken form or an article word, once folded


def _problem(word: str) -> str:
    """Why ``word`` (folded) cannot be a spoken form or an article word, or ''. Each would
    add noise to every desk's searches: a stopword or a single character matches half the
    knowledge base, punctuation matches nothing."""
    if len(word) > MAX_WORD:
        return f"at most {MAX_WORD} characters"
    if not any(unicodedata.category(ch)[0] in "LN" for ch in word):
        return f"{word!r} has no letter or digit"
    if len(word) < 2:
        return f"{word!r} is a single character: it would match too much"
    if word in STOPWORDS:
        return f"{word!r} is a common word the search ignores"
    return ""


def _spoken(spoken: str) -> str:
    word = folded(spoken)
    problem = _problem(word)
    if problem:
        raise bad_field("spoken", problem)
    return word


def _words(spoken: str, words: list[str]) -> list[str]:
    kept = list(dict.fromkeys(folded(w) for w in words if folded(w)))
    if not kept:
        raise bad_field("words", "name at least one word the articles use")
    for word in kept:
        problem = _problem(word)
        if problem:
            raise bad_field("words", problem)
    if kept == [spoken]:
        raise bad_field("words", "a spoken form cannot stand only for itself")
    return kept


def _audited(
    session: Session, caller: Caller, action: str, row: SynonymRow, now: datetime, detail: str
) -> None:
    audit(session, user_id=caller.user.id, action=action, target=f"{ENTITY}:{row.id}",
          allowed=True, now=now, detail=detail)  # fmt: skip


def _trail(row: SynonymRow) -> str:
    return json.dumps({"spoken": row.spoken, "words": list(row.words)}, ensure_ascii=False)


@router.get("", response_model=list[SynonymOut])
def list_synonyms(_caller: Reader, session: DbSession) -> list[SynonymOut]:
    return [synonym_out(row) for row in session.scalars(select(SynonymRow).order_by(SynonymRow.id))]


@router.post("", status_code=201, response_model=SynonymOut)
def create_synonym(
    body: SynonymIn, request: Request, caller: Expert, session: DbSession, clock: Now
) -> Response:
    spoken = _spoken(body.spoken)
    words = _words(spoken, body.words)

    def perform(now):  # type: ignore[no-untyped-def]
        row = SynonymRow(spoken=spoken, words=words, author_id=caller.user.id, updated_at=now)
        session.add(row)
        session.flush()
        out = synonym_out(row)
        _audited(session, caller, "kb.synonym.create", row, now, _trail(row))
        record_change(session, ENTITY, out, team_id=None, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/{synonym_id}", response_model=SynonymOut)
def update_synonym(
    synonym_id: IdPath,
    body: SynonymPatch,
    request: Request,
    caller: Expert,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, SynonymRow, synonym_id, "synonym")

    def current() -> SynonymOut:
        session.expire_all()
        return synonym_out(get_or_404(session, SynonymRow, synonym_id, "synonym"))

    check_version(row, body.version, current)
    spoken = _spoken(body.spoken) if body.spoken is not None else row.spoken
    words = _words(spoken, body.words if body.words is not None else list(row.words))

    def perform(now):  # type: ignore[no-untyped-def]
        before = _trail(row)
        row.spoken, row.words, row.updated_at = spoken, words, now
        session.flush()
        out = synonym_out(row)
        _audited(session, caller, "kb.synonym.update", row, now, f"{before} -> {_trail(row)}")
        record_change(session, ENTITY, out, team_id=None, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform, current)


@router.delete("/{synonym_id}", status_code=204)
def delete_synonym(
    synonym_id: IdPath,
    request: Request,
    caller: Expert,
    session: DbSession,
    clock: Now,
    body: Annotated[RecordVersion | None, Body()] = None,
) -> Response:
    row = get_or_404(session, SynonymRow, synonym_id, "synonym")

    def current() -> SynonymOut:
        session.expire_all()
        return synonym_out(get_or_404(session, SynonymRow, synonym_id, "synonym"))

    if body is not None:
        check_version(row, body.version, current)

    def perform(now):  # type: ignore[no-untyped-def]
        _audited(session, caller, "kb.synonym.delete", row, now, _trail(row))
        version = row.version
        session.delete(row)
        session.flush()
        record_deletion(session, ENTITY, synonym_id, version + 1, team_id=None, now=now)
        return 204, None

    return write(request, session, caller, clock, body, perform, current)
