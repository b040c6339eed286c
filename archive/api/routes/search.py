"""Full-text search for scholars: `GET /api/search`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status

from archive.api.deps import ArchiveDep
from archive.api.visibility import base_url
from archive.search_service import build_request, response_json
from search import FACETS, BackendUnavailable, FacetName, QueryError

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search")
def search(
    request: Request,
    archive: ArchiveDep,
    q: Annotated[
        str, Query(description='Query: words, "phrases", -exclusion, OR, field:value')
    ] = "",
    date_from: Annotated[
        str | None, Query(description="ISO date or as written (民國二十一年)")
    ] = None,
    date_to: Annotated[str | None, Query(description="ISO date or as written")] = None,
    sort: Annotated[str, Query(description="relevance, date or -date")] = "relevance",
    page: int = 1,
    size: int = 20,
    cursor: Annotated[
        str | None,
        Query(
            description="Cursor paging, as deep as the results go: * for the first page, "
            "then each response's next_cursor (page numbers stop at 10,000 results)"
        ),
    ] = None,
    type: Annotated[list[str] | None, Query()] = None,
    collection: Annotated[list[str] | None, Query()] = None,
    sending_place: Annotated[list[str] | None, Query()] = None,
    receiving_place: Annotated[list[str] | None, Query()] = None,
    sender: Annotated[list[str] | None, Query()] = None,
    recipient: Annotated[list[str] | None, Query()] = None,
    remittance_house: Annotated[list[str] | None, Query()] = None,
    currency: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[str] | None, Query()] = None,
    decade: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    has_transcription: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Search published items: total, hits (id, titles, highlights on the original text),
    facet counts, and with `cursor` the next page's. Bad syntax or parameters answer 400
    with what to change."""
    given = locals()
    filters: dict[FacetName, list[str]] = {name: given[name] or [] for name in FACETS}
    try:
        search_request = build_request(
            q,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            size=size,
            cursor=cursor,
        )
        response = archive.search.search(search_request)
    except QueryError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
    except BackendUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc
    return response_json(response, base_url(request))
