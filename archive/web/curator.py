"""Pages for curators: sign in, edit an item, correct transcriptions, publish, add scans."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from archive.api.csrf import rotate
from archive.api.deps import ArchiveDep, SessionDep, UserDep
from archive.api.routes.items import upload_page
from archive.api.visibility import get_visible_item
from archive.catalogue.items import fields_of, update_item
from archive.catalogue.models import (
    Item,
    Job,
    JobStatus,
    Page,
    TranscriptionKind,
    User,
    Visibility,
)
from archive.catalogue.transcriptions import add_curator_text, current_text, latest
from archive.catalogue.users import authenticate
from archive.jobs import queue
from archive.jobs.registry import INDEX_KIND
from archive.web.csrf import verify_csrf
from archive.web.rendering import Pages
from search import default_gazetteer
from search.dates import DateParseError, parse_date
from search.money import AmountParseError, parse_amount

EDITABLE = (
    "title_zh_hant",
    "title_zh_hans",
    "title_en",
    "description_zh_hant",
    "description_zh_hans",
    "description_en",
    "date_text",
    "date_start",
    "date_end",
    "sender",
    "recipient",
    "sending_place",
    "receiving_place",
    "amount_text",
    "amount_value",
    "currency_text",
    "remittance_house",
    "physical_description",
    "provenance",
    "accession_number",
    "rights",
)
MAX_TRANSCRIPTION = 50_000
CsrfChecked = Depends(verify_csrf)


class SignInRequired(Exception):
    """A curator page was asked for without signing in: the handler sends them to sign in."""

    def __init__(self, next_path: str) -> None:
        """Remember where to go back to after signing in."""
        super().__init__(next_path)
        self.next_path = next_path


def signed_in(request: Request, user: UserDep) -> User:
    """The signed-in curator, or a redirect to the sign-in page."""
    if user is None:
        raise SignInRequired(request.url.path)
    return user


PageCurator = Annotated[User, Depends(signed_in)]


def build_router(pages: Pages) -> APIRouter:
    """The curator page routes, rendering with `pages`."""
    router = APIRouter(include_in_schema=False)
    tr = pages.gettext

    @router.get("/curator/sign-in", response_class=HTMLResponse)
    def sign_in_form(request: Request, next: str = "/curator") -> HTMLResponse:
        """The sign-in form."""
        return pages.render(request, "sign_in.html", next=_local(next), error="")

    @router.post("/curator/sign-in", dependencies=[CsrfChecked])
    def sign_in(
        request: Request,
        session: SessionDep,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1_000)] = "",
        next: Annotated[str, Form(max_length=500)] = "/curator",
    ) -> Response:
        """Check the password, start a signed session and go where the curator was heading."""
        user = authenticate(session, username, password)
        if user is None:
            return pages.render(
                request,
                "sign_in.html",
                status_code=status.HTTP_401_UNAUTHORIZED,
                next=_local(next),
                error=tr(request, "Wrong username or password."),
                username=username,
            )
        request.session.clear()
        request.session["user_id"] = user.id
        rotate(request)
        return RedirectResponse(_local(next), status.HTTP_303_SEE_OTHER)

    @router.post("/curator/sign-out", dependencies=[CsrfChecked])
    def sign_out(request: Request) -> RedirectResponse:
        """End the session."""
        request.session.clear()
        rotate(request)
        return RedirectResponse("/", status.HTTP_303_SEE_OTHER)

    @router.get("/curator", response_class=HTMLResponse)
    def dashboard(
        request: Request, session: SessionDep, archive: ArchiveDep, curator: PageCurator
    ) -> HTMLResponse:
        """Items newest first with their visibility, job counts, and failed jobs with reasons."""
        items = session.scalars(select(Item).order_by(Item.id.desc()).limit(200)).all()
        failed = session.scalars(
            select(Job).where(Job.status == JobStatus.failed).order_by(Job.id).limit(200)
        ).all()
        return pages.render(
            request,
            "dashboard.html",
            items=items,
            curator=curator,
            job_counts=sorted(queue.counts(archive.catalogue).items()),
            statuses=[s.value for s in JobStatus],
            failed=failed,
        )

    @router.post("/curator/jobs/{job_id}/retry", dependencies=[CsrfChecked])
    def retry_job(job_id: int, session: SessionDep, curator: PageCurator) -> RedirectResponse:
        """Queue a failed job again (a worker picks it up)."""
        job = session.get(Job, job_id)
        if job is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no job {job_id}")
        queue.enqueue(session, job.kind, job.target)
        return RedirectResponse("/curator#jobs", status.HTTP_303_SEE_OTHER)

    @router.post("/curator/jobs/retry-failed", dependencies=[CsrfChecked])
    def retry_all(archive: ArchiveDep, curator: PageCurator) -> RedirectResponse:
        """Queue every failed job again."""
        queue.retry_failed(archive.catalogue)
        return RedirectResponse("/curator#jobs", status.HTTP_303_SEE_OTHER)

    @router.get("/items/{identifier}/edit", response_class=HTMLResponse)
    def edit_form(
        identifier: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> HTMLResponse:
        """The item form and the transcription editor."""
        item = get_visible_item(session, identifier, curator)
        values = {name: _shown(getattr(item, name)) for name in EDITABLE}
        return _edit_page(request, session, item, values, {})

    @router.post("/items/{identifier}/edit", dependencies=[CsrfChecked])
    async def save_item(
        identifier: str, request: Request, session: SessionDep, curator: PageCurator
    ) -> Response:
        """Validate the form; on any error show it beside its field and save nothing."""
        item = get_visible_item(session, identifier, curator)
        form = await request.form()
        sent = {name: str(form[name]) for name in EDITABLE if name in form}
        values = {name: _shown(getattr(item, name)) for name in EDITABLE} | sent
        errors = _check_written_forms(request, sent)
        candidate = fields_of(item).model_dump() | {
            name: value.strip() or _empty(name) for name, value in sent.items()
        }
        try:
            fields = type(fields_of(item)).model_validate(candidate)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "date_end"
                errors.setdefault(name, _message(request, error))
        if errors:
            return _edit_page(request, session, item, values, errors, status_code=422)
        update_item(session, item, fields, actor=curator.username)
        return RedirectResponse(f"/items/{identifier}/edit?saved=1", status.HTTP_303_SEE_OTHER)

    @router.post("/items/{identifier}/pages/{page_id}/text", dependencies=[CsrfChecked])
    def save_text(
        identifier: str,
        page_id: str,
        request: Request,
        session: SessionDep,
        curator: PageCurator,
        text: Annotated[str, Form()] = "",
    ) -> Response:
        """Save a curator's corrected transcription as a new version; machine OCR stays."""
        item = get_visible_item(session, identifier, curator)
        page = session.scalar(
            select(Page).where(Page.public_id == page_id, Page.item_id == item.id)
        )
        if page is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no page {page_id!r} in {identifier}")
        if len(text) > MAX_TRANSCRIPTION:
            values = {name: _shown(getattr(item, name)) for name in EDITABLE}
            message = tr(request, "The transcription is too long: at most %(max)s characters.")
            errors = {f"text-{page_id}": message % {"max": MAX_TRANSCRIPTION}}
            return _edit_page(request, session, item, values, errors, status_code=422)
        add_curator_text(session, page, text=text.replace("\r\n", "\n"), actor=curator.username)
        queue.enqueue(session, INDEX_KIND, item.identifier, redo=True)
        return RedirectResponse(f"/items/{identifier}/edit?saved=1", status.HTTP_303_SEE_OTHER)

    @router.post("/items/{identifier}/visibility", dependencies=[CsrfChecked])
    def set_visibility(
        identifier: str,
        session: SessionDep,
        curator: PageCurator,
        visibility: Annotated[Visibility, Form()],
    ) -> RedirectResponse:
        """Publish, unpublish (draft) or restrict an item; audited and re-indexed."""
        item = get_visible_item(session, identifier, curator)
        fields = fields_of(item).model_copy(update={"visibility": visibility})
        update_item(session, item, fields, actor=curator.username)
        return RedirectResponse(f"/items/{identifier}/edit?saved=1", status.HTTP_303_SEE_OTHER)

    @router.post("/items/{identifier}/pages", dependencies=[CsrfChecked])
    def add_scan(
        identifier: str,
        request: Request,
        archive: ArchiveDep,
        session: SessionDep,
        curator: PageCurator,
        file: Annotated[UploadFile, File()],
    ) -> Response:
        """Add a scan through the browser, checked exactly as the API checks uploads."""
        try:
            upload_page(identifier, request, archive, session, curator, file, "", None)
        except HTTPException as exc:
            item = get_visible_item(session, identifier, curator)
            values = {name: _shown(getattr(item, name)) for name in EDITABLE}
            errors = {"upload": str(exc.detail)}
            return _edit_page(request, session, item, values, errors, status_code=exc.status_code)
        return RedirectResponse(f"/items/{identifier}/edit?saved=1", status.HTTP_303_SEE_OTHER)

    def _edit_page(
        request: Request,
        session: SessionDep,
        item: Item,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> HTMLResponse:
        texts = []
        for page in item.pages:
            version = current_text(session, page)
            machine = latest(session, page, TranscriptionKind.machine)
            texts.append(
                {
                    "page": page,
                    "text": version.text if version else "",
                    "machine": machine.text if machine else "",
                    "by_curator": bool(version and version.kind == TranscriptionKind.curator),
                }
            )
        people = session.scalars(
            select(Item.sender).union(select(Item.recipient)).order_by(Item.sender).limit(2_000)
        ).all()
        places = session.scalars(
            select(Item.sending_place)
            .union(select(Item.receiving_place))
            .order_by(Item.sending_place)
            .limit(2_000)
        ).all()
        gazetteer = sorted(
            {n for p in default_gazetteer().places.values() for n in p.name.values()}
        )
        return pages.render(
            request,
            "edit.html",
            people=[p for p in people if p],
            places=sorted({*filter(None, places), *gazetteer}),
            houses=session.scalars(
                select(Item.remittance_house).distinct().order_by(Item.remittance_house)
            ).all(),
            status_code=status_code,
            item=item,
            values=values,
            errors=errors,
            texts=texts,
            saved=request.query_params.get("saved") == "1",
            public=item.visibility == Visibility.published,
        )

    return router


def _local(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") else "/curator"


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _empty(name: str) -> Any:
    return None if name in ("date_start", "date_end", "amount_value") else ""


def _check_written_forms(request: Request, values: dict[str, str]) -> dict[str, str]:
    """Dates and amounts sent must be readable, so facets and sorting can use them."""
    tr = request.app.state.web_pages.gettext
    errors: dict[str, str] = {}
    if values.get("date_text", "").strip():
        try:
            parse_date(values["date_text"].strip())
        except DateParseError as exc:
            errors["date_text"] = str(exc)
    if values.get("amount_text", "").strip():
        try:
            parse_amount(values["amount_text"].strip())
        except AmountParseError as exc:
            errors["amount_text"] = str(exc)
    if values.get("amount_value", "").strip():
        try:
            Decimal(values["amount_value"].strip())
        except InvalidOperation:
            errors["amount_value"] = tr(request, "Not an amount: write a number such as 120.50.")
    return errors


def _message(request: Request, error: Any) -> str:
    """A validation error in the reader's language where we know the kind, else as given."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    tr = request.app.state.web_pages.gettext
    if kind == "string_too_long":
        return str(
            tr(request, "Too long: at most %(max)s characters.")
            % {"max": context.get("max_length", "?")}
        )
    if kind.startswith("date"):
        return str(tr(request, "Not a date: write it as YYYY-MM-DD."))
    if kind.startswith("decimal") or kind in ("greater_than_equal",):
        return str(tr(request, "Not an amount: write a number such as 120.50."))
    return str(error.get("msg", "invalid value"))
