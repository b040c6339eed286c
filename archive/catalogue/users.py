"""Curator accounts: argon2-hashed passwords and API bearer tokens stored only as hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalogue.audit import record_change
from archive.catalogue.models import ApiToken, Role, User, utcnow

_hasher = PasswordHasher()
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")
MIN_PASSWORD = 10
TOKEN_LIFETIME = dt.timedelta(days=30)


class AccountError(ValueError):
    """A user account cannot be created as asked; the message says why."""


def add_user(
    session: Session, username: str, password: str, *, role: Role = Role.curator, actor: str
) -> User:
    """Create an account; refuses bad usernames, short passwords and duplicates."""
    if not USERNAME.match(username):
        raise AccountError(
            f"username {username!r}: use 2–64 letters, digits or . _ @ - (no spaces)"
        )
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"a user named {username!r} already exists")
    user = User(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    record_change(
        session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=username,
        changes={"role": role.value},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right, else None (same work either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        _hasher.hash(password)  # spend the same time, so timing does not reveal usernames
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def issue_token(session: Session, user: User) -> str:
    """A new bearer token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            token_sha256=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=utcnow() + TOKEN_LIFETIME,
        )
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user a valid, unexpired bearer token belongs to."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
    if found is None:
        return None
    expires = found.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return found.user if expires > utcnow() else None
