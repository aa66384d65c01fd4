"""One-time form tokens: what makes a form sent twice (a double tap, a lost reply) count once."""

import re
import secrets

# What secrets.token_urlsafe makes; anything else is never looked up in the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def token_new() -> str:
    return secrets.token_urlsafe(24)


def token_is_valid(value: str) -> bool:
    return isinstance(value, str) and TOKEN_PATTERN.fullmatch(value) is not None
