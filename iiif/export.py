"""Static export: level-0 image services (pre-cut files) and JSON documents for any static host.

The files are laid out exactly as the Image API URLs, so a plain file server (a kiosk at a
watchtower village, a CDN) serves tiles, sizes, `full/max` and info.json with no code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from iiif.identifiers import check_identifier
from iiif.info import image_info
from iiif.parameters import ImageLimits
from iiif.service import ImageService
from iiif.source import ImageSource

_LEVEL0_DROPPED = ("extraQualities", "extraFormats", "extraFeatures")


def derive(
    identifier: str, source: ImageSource, derivative_dir: Path, limits: ImageLimits | None = None
) -> int:
    """The derivative job for one image: build its pyramid and pre-cut every standard tile/size.

    Idempotent (existing files are reused) and rebuildable at any time; returns how many
    pre-cut files the image has.
    """
    service = ImageService(lambda _: source, derivative_dir, limits)
    return len(service.precut(check_identifier(identifier), source))


def export_image_service(
    identifier: str,
    source: ImageSource,
    *,
    derivative_dir: Path,
    out_dir: Path,
    base_url: str,
    limits: ImageLimits | None = None,
) -> Path:
    """Write a level-0 image service for `identifier` under `out_dir/identifier/`.

    Its info.json has `id` = `base_url/identifier`. Besides the canonical path, each file is
    also written where OpenSeadragon looks: `w,h` for tiles whose canonical size is `max`,
    and `full/w,` for whole-image levels.
    Returns the service's folder.
    """
    check_identifier(identifier)
    limits = limits or ImageLimits()
    service = ImageService(lambda _: source, derivative_dir, limits)
    folder = out_dir / identifier
    for request in service.precut(identifier, source):
        cached = service.cached_file(identifier, source, request)
        region, size = request.canonical_region, f"{request.width},{request.height}"
        targets = {request.canonical, f"{region}/{size}/0/default.jpg"}
        if request.full_region:
            targets.add(f"full/{request.width},/0/default.jpg")
        for target in sorted(targets):
            destination = folder / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, destination)
    info = image_info(f"{base_url.rstrip('/')}/{identifier}", source.width, source.height, limits)
    info["profile"] = "level0"
    for key in _LEVEL0_DROPPED:
        del info[key]
    write_document(info, out_dir, f"{identifier}/info.json")
    return folder


def write_document(document: dict[str, Any], out_dir: Path, relative_path: str) -> Path:
    """Write a JSON document (manifest, collection, info.json) at `out_dir/relative_path`.

    Refuses paths that would leave `out_dir`.
    """
    root = out_dir.resolve()
    destination = (root / relative_path).resolve()
    if not destination.is_relative_to(root) or destination == root:
        raise ValueError(f"{relative_path!r} would be written outside {out_dir}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return destination
