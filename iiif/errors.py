"""One exception family for the Image API, each carrying the HTTP status it maps to."""

from __future__ import annotations


class IIIFError(Exception):
    """Base of every error the IIIF library raises on purpose; `status` is the HTTP status."""

    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(IIIFError):
    """A request parameter is malformed or out of range (HTTP 400)."""

    status = 400


class NotFound(IIIFError):
    """No image, or none the caller may see, under this identifier (HTTP 404)."""

    status = 404


class NotImplementedFeature(IIIFError):
    """A valid IIIF request for a feature this server does not offer (HTTP 501)."""

    status = 501
