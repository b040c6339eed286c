"""IIIF: Image API 3 logic, Presentation 3 builders, Content Search.

The public surface is what this module exports; everything else is private to the package.
"""

from iiif.errors import BadRequest, IIIFError, NotFound, NotImplementedFeature
from iiif.parameters import ImageLimits, ImageRequest, parse_request, resolve_request
from iiif.pyramid import DerivativeError, build_pyramid
from iiif.router import image_api_router
from iiif.service import ImageService, RenderedImage
from iiif.source import ImageSource

__all__ = [
    "BadRequest",
    "DerivativeError",
    "IIIFError",
    "ImageLimits",
    "ImageRequest",
    "ImageService",
    "ImageSource",
    "NotFound",
    "NotImplementedFeature",
    "RenderedImage",
    "build_pyramid",
    "image_api_router",
    "parse_request",
    "resolve_request",
]
