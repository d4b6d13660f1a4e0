"""Passwords (argon2id) and bearer tokens (random, stored hashed, with expiry)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth_cache import AuthCache, announce
from server_stub.models import AccessTokenRow, UserRow

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so a wrong name costs as long as a wrong
# password and response times do not tell which user names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, username: str, password: str) -> UserRow | None:
    user = session.scalar(select(UserRow).where(UserRow.username == username.lower()))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


def issue_token(
    session: Session, user: UserRow, lifetime: timedelta, now: datetime
) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    session.add(
        AccessTokenRow(
            token_sha256=token_digest(token), user_id=user.id, issued_at=now, expires_at=expires_at
        )
    )
    session.commit()
    return token, expires_at


def resolve_token(session: Session, token: str, now: datetime) -> tuple[UserRow, datetime] | None:
    row = session.get(AccessTokenRow, token_digest(token))
    if row is None or row.revoked:
        return None
    expires_at = row.expires_at
    if expires_at.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC.
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at <= now:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    return user, expires_at


def revoke_token(session: Session, token: str, cache: AuthCache | None = None) -> None:
    """Sign a token out, on every server process (``server_stub.auth_cache``)."""
    digest = token_digest(token)
    row = session.get(AccessTokenRow, digest)
    if row is not None:
        row.revoked = True
        announce(session, f"token:{digest}")
        session.commit()
    if cache is not None:
        cache.forget_token(digest)


def disable_user(session: Session, user_id: int, cache: AuthCache | None = None) -> None:
    """A user who may no longer sign in; their tokens stop working on every server process."""
    user = session.get(UserRow, user_id)
    if user is not None:
        user.active = False
        announce(session, f"user:{user_id}")
        session.commit()
    if cache is not None:
        cache.forget_user(user_id)
