"""The public surface of `iiif` is exactly what we meant, and it never imports the app."""

from __future__ import annotations

import subprocess
import sys

import iiif

EXPECTED = {
    "images": {
        "image_api_router",
        "ImageSource",
        "ImageLimits",
        "ImageService",
        "Resolver",
        "ImageEndpoint",
        "ImageFastPath",
        "DEFAULT_CACHE_CONTROL",
    },
    "errors": {"IIIFError", "BadRequest", "NotFound", "NotImplementedFeature"},
    "derivatives": {"build_pyramid", "derive", "DerivativeError", "export_image_service"},
    "parameters": {"parse_request", "resolve_request", "ImageRequest", "RenderedImage"},
    "presentation": {
        "build_manifest",
        "build_collection",
        "ItemView",
        "PageView",
        "TextLine",
        "Link",
        "MetadataEntry",
        "CollectionView",
        "CollectionMember",
        "SearchServices",
        "EmptyDocument",
        "canvas_id",
        "manifest_id",
        "ocr_annotation_page",
        "write_document",
    },
    "search": {
        "SearchableItem",
        "SearchablePage",
        "search_v1",
        "search_v2",
        "autocomplete_v1",
        "autocomplete_v2",
        "content_search_router",
        "search_services",
    },
}


def test_public_surface_is_what_we_meant() -> None:
    assert set(iiif.__all__) == set().union(*EXPECTED.values())
    assert all(hasattr(iiif, name) for name in iiif.__all__)


def test_iiif_never_imports_the_application() -> None:
    code = "import sys, iiif; print(sorted(m for m in sys.modules if m.split('.')[0] == 'archive'))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
