"""Credential checks shared by the vendors: a presented secret against the fixture credentials, and the
store of access tokens an API issues (OAuth 2.0 client credentials) on the virtual clock."""

from __future__ import annotations

import hashlib
import heapq
import hmac
import secrets

from mock_server.context import runtime

DEFAULT_TOKEN_LIMIT = 100_000  # live issued tokens held per API; past it the soonest to expire is dropped


def fixture_credential(vendor: str, kind: str, presented: str) -> dict | None:
    """Connexion's security-function answer: token info when `presented` is one of the vendor's fixture
    credentials of that kind (`credentials.<kind>` in fixtures/<vendor>/fixtures.json), else None → 401."""
    known = runtime().fixtures[vendor].get("credentials", {}).get(kind, ())
    return {"sub": vendor, "kind": kind, "scope": []} if presented in known else None


class IssuedTokens:
    """Access tokens issued on the virtual clock (OAuth 2.0), held in memory only while they live.

    Each lookup and each issue first drops the tokens whose expiry the clock has passed (a heap ordered by
    expiry: the cost is what is due), and at most `limit` live tokens are held (past it the one closest to its
    expiry goes first), so a client asking for a token per request grows nothing. A token carries its own
    expiry and a MAC over it, so a token dropped for expiring is still told apart from one never issued
    (an "expired" answer, not an "unknown" one) without keeping anything for it.
    """

    def __init__(self, prefix: str, limit: int = DEFAULT_TOKEN_LIMIT) -> None:
        self.prefix = prefix
        self.limit = limit
        self._key = secrets.token_bytes(32)
        self._live: dict[str, tuple[float, dict]] = {}
        self._expiries: list[tuple[float, str]] = []

    def __len__(self) -> int:
        return len(self._live)

    def issue(self, record: dict, now: float, lifetime: float) -> str:
        self.purge(now)
        expires_at = now + lifetime
        stamp = f"{secrets.token_urlsafe(18)}.{int(expires_at * 1000):x}"
        token = f"{self.prefix}{stamp}.{self._mac(stamp)}"
        self._live[token] = (expires_at, record)
        heapq.heappush(self._expiries, (expires_at, token))
        while len(self._live) > self.limit:
            self._live.pop(heapq.heappop(self._expiries)[1], None)
        return token

    def lookup(self, token: str, now: float) -> tuple[dict | None, bool]:
        """(the token's record, False) while it lives; (None, True) once expired; (None, False) if never ours."""
        self.purge(now)
        held = self._live.get(token)
        if held is not None:
            return held[1], False
        return None, self._expired_stamp(token, now)

    def purge(self, now: float) -> None:
        expiries = self._expiries
        while expiries and expiries[0][0] <= now:
            _, token = heapq.heappop(expiries)
            self._live.pop(token, None)

    def clear(self) -> None:
        self._live.clear()
        self._expiries.clear()

    def _mac(self, stamp: str) -> str:
        return hmac.new(self._key, stamp.encode(), hashlib.sha256).hexdigest()[:24]

    def _expired_stamp(self, token: str, now: float) -> bool:
        if not token.startswith(self.prefix):
            return False
        stamp, _, mac = token[len(self.prefix):].rpartition(".")
        if not stamp or not hmac.compare_digest(mac.encode("utf-8", "replace"), self._mac(stamp).encode()):
            return False
        try:
            return int(stamp.rpartition(".")[2], 16) / 1000 <= now
        except ValueError:
            return False
