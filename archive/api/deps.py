"""Request dependencies as `Annotated` aliases, so a route's signature says what it needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from archive.api.csrf import verify_csrf_header
from archive.catalogue.models import User
from archive.catalogue.users import user_for_token
from archive.context import Archive

_bearer = HTTPBearer(auto_error=False)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_archive(request: Request) -> Archive:
    """The archive the app was built with."""
    archive: Archive = request.app.state.archive
    return archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]


def get_session(archive: ArchiveDep) -> Iterator[Session]:
    """A database session for one request, committed when the request succeeds."""
    with archive.catalogue.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    """The signed-in user (bearer token or session cookie), or None for anonymous visitors."""
    if credentials is not None:
        user = user_for_token(session, credentials.credentials)
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "the bearer token is invalid or expired; sign in again at POST /api/auth/token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return user
    user_id = request.session.get("user_id") if "session" in request.scope else None
    return session.get(User, user_id) if isinstance(user_id, int) else None


UserDep = Annotated[User | None, Depends(get_user)]


def require_curator(
    request: Request,
    user: UserDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The signed-in curator; anonymous writes get 401.

    A write signed in by the session cookie must also carry the session's CSRF token (403
    otherwise), so another site cannot make a curator's browser change the catalogue.
    """
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "sign in as a curator first (POST /api/auth/token, then send the bearer token)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if credentials is None and request.method not in _SAFE_METHODS:
        verify_csrf_header(request)
    return user


CuratorDep = Annotated[User, Depends(require_curator)]
