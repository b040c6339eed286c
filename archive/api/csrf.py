"""CSRF protection for writes made with the session cookie: a secret per session.

Web forms send it back in a hidden field (`archive.web.csrf`); JavaScript calling the JSON API
with the cookie sends it in the `X-CSRF-Token` header. Bearer-token clients need neither, since
a browser never attaches a bearer token on its own. Hand-written because it is a dozen lines on
top of the signed session cookie we already have (a synchroniser token), where a library would
add its own cookie and middleware.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, status

HEADER = "X-CSRF-Token"
_KEY = "csrf"


def csrf_token(request: Request) -> str:
    """This session's token, created on first use; pages and `/api/auth/me` hand it out."""
    token = request.session.get(_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_KEY] = token
    return token


def rotate(request: Request) -> str:
    """A fresh token after signing in or out, so a token seen before cannot be replayed."""
    token = secrets.token_urlsafe(32)
    request.session[_KEY] = token
    return token


def check_token(request: Request, sent: object, *, how_to_fix: str) -> None:
    """Refuse (403) a write whose token is missing or not this session's."""
    expected = request.session.get(_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"the request has no valid security token; {how_to_fix}"
        )
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"the security token does not match; {how_to_fix}"
        )


def verify_csrf_header(request: Request) -> None:
    """Refuse (403) a cookie-authenticated API write without this session's token header."""
    check_token(
        request,
        request.headers.get(HEADER),
        how_to_fix=f"send the csrf_token from GET /api/auth/me in the {HEADER} header, "
        "or use a bearer token",
    )
