"""Curator sign-in: bearer tokens for the API, a session cookie for the web pages."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from archive.api.deps import SessionDep, UserDep
from archive.api.schemas import Credentials, Token
from archive.catalogue.users import TOKEN_LIFETIME, authenticate, issue_token

router = APIRouter(prefix="/api/auth", tags=["auth"])

_BAD_SIGN_IN = "wrong username or password"


@router.post("/token")
def sign_in_token(credentials: Credentials, session: SessionDep) -> Token:
    """Exchange a curator's username and password for a bearer token."""
    user = authenticate(session, credentials.username, credentials.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _BAD_SIGN_IN)
    return Token(
        access_token=issue_token(session, user),
        expires_in=int(TOKEN_LIFETIME.total_seconds()),
    )


@router.post("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_in_session(credentials: Credentials, request: Request, session: SessionDep) -> None:
    """Sign in for the web pages: sets a signed session cookie."""
    user = authenticate(session, credentials.username, credentials.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _BAD_SIGN_IN)
    request.session.clear()
    request.session["user_id"] = user.id


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request) -> None:
    """Sign out of the web pages."""
    request.session.clear()


@router.get("/me")
def whoami(user: UserDep) -> dict[str, str | None]:
    """Who the caller is signed in as (null when anonymous)."""
    return {"username": user.username if user else None, "role": user.role.value if user else None}
