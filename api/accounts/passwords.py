"""Password hashing with argon2id (pwdlib), never by hand."""

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when the e-mail is unknown, so both answers take the same time.
_DUMMY = _hasher.hash("not a password anyone has")
MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Whether it matches, and a new hash when the stored one uses outdated parameters."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY)
        return False, None
    try:
        return _hasher.verify_and_update(password, password_hash)
    except UnknownHashError:
        # A hash no hasher here knows (imported, or deliberately unusable): no password matches.
        _hasher.verify(password, _DUMMY)
        return False, None
