"""Identifiers in the shapes the vendors show: ULIDs (`imp_01HQ…`), UUIDs."""

from __future__ import annotations

import os

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(epoch: float) -> str:
    """A ULID for the (virtual) instant `epoch`: 48 bits of milliseconds, 80 random bits, Crockford base32."""
    value = (int(epoch * 1000) & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))
