"""The auth cache keeps a token while it is used (``ttl_s`` after its last use), never longer
than ``max_age_s`` after its lookup, and forgets revoked tokens and disabled users at once."""

from __future__ import annotations

from datetime import UTC, datetime

from server_stub.auth_cache import AuthCache, Principal

EXPIRES = datetime(2026, 12, 31, tzinfo=UTC)


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cache_with_one(ticks: Ticks, user_id: int = 7) -> AuthCache:
    cache = AuthCache(ttl_s=30, monotonic=ticks, max_age_s=300)
    principal = Principal(user_id, "desk0007", "Desk 7", "agent", 3)
    cache.put("digest", principal, EXPIRES, frozenset({3}))
    return cache


def test_a_token_in_use_outlives_its_ttl() -> None:
    ticks = Ticks()
    cache = cache_with_one(ticks)
    for _ in range(8):  # a request every 25 s: 200 s, well past 30 s from the lookup
        ticks.now += 25
        assert cache.get("digest") is not None


def test_an_outage_shorter_than_the_ttl_keeps_the_token() -> None:
    ticks = Ticks()
    cache = cache_with_one(ticks)
    ticks.now += 28  # looked up 28 s before the outage, used just before it
    assert cache.get("digest") is not None
    ticks.now += 24  # a 20 s outage, the desk back on its backoff
    assert cache.get("digest") is not None


def test_an_unused_token_goes_after_the_ttl() -> None:
    ticks = Ticks()
    cache = cache_with_one(ticks)
    ticks.now += 31
    assert cache.get("digest") is None
    ticks.now += 1  # and stays gone until looked up again
    assert cache.get("digest") is None


def test_a_token_is_looked_up_again_after_max_age_however_used() -> None:
    ticks = Ticks()
    cache = cache_with_one(ticks)
    while ticks.now + 10 <= 1300:
        ticks.now += 10
        assert cache.get("digest") is not None
    ticks.now += 10.5  # 300.5 s after the lookup
    assert cache.get("digest") is None


def test_revocation_and_disabling_win_over_use() -> None:
    ticks = Ticks()
    cache = cache_with_one(ticks)
    ticks.now += 5
    assert cache.get("digest") is not None
    cache.forget("token:digest")
    assert cache.get("digest") is None
    cache = cache_with_one(ticks, user_id=9)
    assert cache.get("digest") is not None
    cache.forget("user:9")
    assert cache.get("digest") is None


def test_no_cache_when_the_ttl_is_zero() -> None:
    ticks = Ticks()
    cache = AuthCache(ttl_s=0, monotonic=ticks)
    cache.put("digest", Principal(1, "a", "A", "agent", None), EXPIRES, None)
    assert cache.get("digest") is None
