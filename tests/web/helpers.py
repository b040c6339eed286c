"""Small helpers shared by the web tests: reading the CSRF token and signing in."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import CURATOR, PASSWORD

HTML = {"accept": "text/html"}


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient) -> str:
    """Sign the client in as the curator; returns the CSRF token for later posts."""
    token = csrf_of(client.get("/curator/sign-in", headers=HTML).text)
    response = client.post(
        "/curator/sign-in",
        data={"username": CURATOR, "password": PASSWORD, "csrf_token": token, "next": "/curator"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/curator", headers=HTML).text)
