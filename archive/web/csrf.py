"""CSRF protection for the web forms: a secret per session, sent back in every form post.

Hand-written because it is a dozen lines on top of the signed session cookie we already have
(a synchroniser token), where a library would add its own cookie and middleware.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, status

FIELD = "csrf_token"
_KEY = "csrf"


def csrf_token(request: Request) -> str:
    """This session's token, created on first use; templates put it in a hidden field."""
    token = request.session.get(_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_KEY] = token
    return token


def rotate(request: Request) -> None:
    """A fresh token after signing in or out, so a token seen before cannot be replayed."""
    request.session[_KEY] = secrets.token_urlsafe(32)


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a form post whose token is missing or not this session's."""
    form = await request.form()
    sent = form.get(FIELD)
    expected = request.session.get(_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form has no valid security token; reload the page and submit it again",
        )
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form's security token does not match; reload the page and submit it again",
        )
