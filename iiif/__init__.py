"""IIIF: Image API 3 logic, Presentation 3 builders, Content Search, static export.

The public surface is what this module exports; everything else is private to the package.
"""

from iiif.asgi import ImageEndpoint, ImageFastPath
from iiif.content_search import (
    SearchableItem,
    SearchablePage,
    autocomplete_v1,
    autocomplete_v2,
    search_v1,
    search_v2,
)
from iiif.errors import BadRequest, IIIFError, NotFound, NotImplementedFeature
from iiif.export import derive, export_image_service, write_document
from iiif.parameters import ImageLimits, ImageRequest, parse_request, resolve_request
from iiif.presentation import (
    CollectionMember,
    CollectionView,
    EmptyDocument,
    ItemView,
    Link,
    MetadataEntry,
    PageView,
    SearchServices,
    TextLine,
    build_collection,
    build_manifest,
    canvas_id,
    manifest_id,
    ocr_annotation_page,
)
from iiif.pyramid import DerivativeError, build_pyramid
from iiif.router import DEFAULT_CACHE_CONTROL, image_api_router
from iiif.search_router import content_search_router, search_services
from iiif.service import ImageService, RenderedImage, Resolver
from iiif.source import ImageSource

__all__ = [
    "DEFAULT_CACHE_CONTROL",
    "BadRequest",
    "CollectionMember",
    "CollectionView",
    "DerivativeError",
    "EmptyDocument",
    "IIIFError",
    "ImageEndpoint",
    "ImageFastPath",
    "ImageLimits",
    "ImageRequest",
    "ImageService",
    "ImageSource",
    "ItemView",
    "Link",
    "MetadataEntry",
    "NotFound",
    "NotImplementedFeature",
    "PageView",
    "RenderedImage",
    "Resolver",
    "SearchServices",
    "SearchableItem",
    "SearchablePage",
    "TextLine",
    "autocomplete_v1",
    "autocomplete_v2",
    "build_collection",
    "build_manifest",
    "build_pyramid",
    "canvas_id",
    "content_search_router",
    "derive",
    "export_image_service",
    "image_api_router",
    "manifest_id",
    "ocr_annotation_page",
    "parse_request",
    "resolve_request",
    "search_services",
    "search_v1",
    "search_v2",
    "write_document",
]
