"""Curator sign-in: bearer tokens for the API, a session cookie for the web pages."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from archive.api.csrf import csrf_token, rotate
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


@router.post("/session")
def sign_in_session(
    credentials: Credentials, request: Request, session: SessionDep
) -> dict[str, str]:
    """Sign in for the web pages: sets a signed session cookie.

    Returns the session's CSRF token, which API writes made with the cookie send back in the
    `X-CSRF-Token` header.
    """
    user = authenticate(session, credentials.username, credentials.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, _BAD_SIGN_IN)
    request.session.clear()
    request.session["user_id"] = user.id
    return {"csrf_token": rotate(request)}


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request) -> None:
    """Sign out of the web pages."""
    request.session.clear()


@router.get("/me")
def whoami(request: Request, user: UserDep) -> dict[str, str | None]:
    """Who the caller is signed in as (null when anonymous), with the session's CSRF token.

    The token is given only to a caller signed in by the session cookie: it is what their
    API writes must send in the `X-CSRF-Token` header.
    """
    signed_in_by_cookie = user is not None and request.session.get("user_id") == user.id
    return {
        "username": user.username if user else None,
        "role": user.role.value if user else None,
        "csrf_token": csrf_token(request) if signed_in_by_cookie else None,
    }
