"""Short random codes printed on sheets, receipts and labels.

Random, not sequential, so that a code cannot be guessed from another one; drawn from an alphabet
without look-alike characters (no 0/O, 1/I/L) so that a villager can read one out over the phone.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code(length: int = LENGTH) -> str:
    """Return a fresh random code such as ``K7Q2M9XA`` (31^8 ≈ 850 billion possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str | None) -> str:
    """Return a typed code as stored: upper case, without spaces or dashes."""
    return "".join((text or "").split()).replace("-", "").upper()
