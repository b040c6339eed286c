"""CSRF protection for the web forms: the session's token, sent back in every form post."""

from __future__ import annotations

from fastapi import Request

from archive.api.csrf import check_token

FIELD = "csrf_token"


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a form post whose token is missing or not this session's."""
    form = await request.form()
    check_token(request, form.get(FIELD), how_to_fix="reload the page and submit it again")
