"""Jinja2 templates from `viewer/templates`, one environment per interface language."""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from archive.api.csrf import csrf_token
from archive.web.csrf import FIELD
from archive.web.i18n import BY_TAG, LANGUAGES, load_translations, request_language
from archive.web.present import snippet

VIEWER_DIR = Path(__file__).resolve().parents[2] / "viewer"
KIOSK_COOKIE = "qiaopi_kiosk"
KIOSK_IDLE_SECONDS = 120


class Pages:
    """Renders page templates in the reader's language."""

    def __init__(self, viewer_dir: Path = VIEWER_DIR) -> None:
        """Load the templates and compile the catalogues once, when the app is built."""
        translations = load_translations(viewer_dir / "locales")
        self.environments: dict[str, Environment] = {}
        for language in LANGUAGES:
            env = Environment(
                loader=FileSystemLoader(viewer_dir / "templates"),
                autoescape=select_autoescape(("html",)),
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.install_gettext_translations(  # type: ignore[attr-defined]
                translations[language.tag], newstyle=True
            )
            env.filters["snippet"] = snippet
            self.environments[language.tag] = env
        self.translations: dict[str, gettext.NullTranslations] = translations

    def gettext(self, request: Request, message: str) -> str:
        """A message translated into the reader's language (for text built in Python)."""
        return self.translations[request_language(request).tag].gettext(message)

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page: the template with the language, switcher, user and CSRF token filled in."""
        language = request_language(request)
        env = self.environments[language.tag]
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        body = env.get_template(template).render(
            request=request,
            language=language,
            languages=[BY_TAG[lang.tag] for lang in LANGUAGES],
            here=here,
            csrf_field=FIELD,
            csrf_token=csrf_token(request),
            today=dt.date.today(),
            kiosk=request.cookies.get(KIOSK_COOKIE) == "1",
            kiosk_idle_seconds=KIOSK_IDLE_SECONDS,
            **context,
        )
        return HTMLResponse(body, status_code=status_code)
