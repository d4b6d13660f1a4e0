"""An in-memory credential store for tests of one layer (the real keychain has its own tests)."""

from __future__ import annotations

from agent_desktop.credentials import account_key


class MemoryCredentialStore:
    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}

    @property
    def available(self) -> bool:
        return True

    @property
    def why_unavailable(self) -> str:
        return ""

    def load_token(self, server_url: str, username: str) -> str | None:
        return self.tokens.get(account_key(server_url, username))

    def save_token(self, server_url: str, username: str, token: str) -> None:
        self.tokens[account_key(server_url, username)] = token

    def forget_token(self, server_url: str, username: str) -> None:
        self.tokens.pop(account_key(server_url, username), None)
