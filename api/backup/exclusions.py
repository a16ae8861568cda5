"""What never leaves the database in a backup, why, and what a restore writes in its place."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Secret:
    why: str
    stand_in: Callable[[], str]  # what a restore writes in its place: never anything that signs in


# Tables not exported at all.
LEFT_OUT_TABLES = {
    "auth_token": "sign-in tokens: the hashes of live access and refresh tokens",
    "idempotency_record": "replayable POST responses, which hold new API keys' secrets",
    "sign_in_failure": "rate-limit state of the last minutes: e-mail and client addresses tried",
    "rate_limit_counter": "request counts of the current rate-limit windows, which start afresh",
}

# Columns left out of the tables that are.
UNUSABLE_PASSWORD = "!restored without a password: set one with roadmap set-password"
SECRET_COLUMNS = {
    # No hasher knows this "hash" (api.accounts.passwords): no password matches it.
    ("account", "password_hash"): Secret(
        "password hashes: a restored account signs in once `roadmap set-password` gives it a password",
        lambda: UNUSABLE_PASSWORD,
    ),
    # A key is found by the sha256 of its secret, which is hex: no secret hashes to this.
    ("api_key", "secret_hash"): Secret(
        "API key hashes: a restored key works again once an administrator rotates it",
        lambda: f"restored-{uuid.uuid4().hex}",
    ),
}


def left_out() -> dict[str, str]:
    """What an archive never holds, and why."""
    return {
        **LEFT_OUT_TABLES,
        **{f"{t}.{c}": secret.why for (t, c), secret in SECRET_COLUMNS.items()},
    }
