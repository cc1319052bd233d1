"""Product image thumbnails for pages: the `srcset` of a product image in the widths the
settings' THUMBNAIL_ALIASES name for it ("card-240", "detail-600"...).

Thumbnails are made when an image is saved (catalog.receivers) and, if one is missing, on
first use. With local storage, easy-thumbnails finds a made thumbnail by the file's time
stamp, so a page of products asks the database nothing per image.
"""

import logging
from dataclasses import dataclass

from easy_thumbnails.alias import aliases
from easy_thumbnails.files import get_thumbnailer

from catalog.models import ProductImage

logger = logging.getLogger(__name__)

IMAGE_TARGET = "catalog.ProductImage.image"


@dataclass(frozen=True)
class ImageSources:
    src: str
    srcset: str  # "" when only the original could be given
    width: int
    height: int


def thumbnail_widths(kind: str) -> list[tuple[str, int]]:
    """The (alias, width) pairs of a kind of thumbnail ("card", "detail"), narrowest first."""
    found = [
        (name, options["size"][0])
        for name, options in aliases.all(IMAGE_TARGET, include_global=False).items()
        if name.startswith(f"{kind}-")
    ]
    return sorted(found, key=lambda pair: pair[1])


def product_image_sources(image: ProductImage, kind: str, *, default_width: int) -> ImageSources:
    """The thumbnails of `image` for `kind`: `src` is the one nearest `default_width` (for
    browsers without srcset); the original image if thumbnails cannot be made."""
    widths = thumbnail_widths(kind)
    try:
        thumbnailer = get_thumbnailer(image.image)
        thumbnails = [(thumbnailer[name], width) for name, width in widths]
        if not thumbnails or any(thumb is None for thumb, _width in thumbnails):
            raise ValueError("no thumbnail")
    except Exception:  # a missing or unreadable file: show the original, never fail the page
        logger.warning("No thumbnails for product image %s", image.pk, exc_info=True)
        return ImageSources(image.image.url, "", default_width, default_width)
    srcset = ", ".join(f"{thumb.url} {width}w" for thumb, width in thumbnails)
    chosen, width = min(thumbnails, key=lambda pair: abs(pair[1] - default_width))
    height = width
    if kind != "card":  # whole pictures keep their shape: read it from the thumbnail
        try:
            width, height = chosen.width, chosen.height
        except Exception:
            logger.warning("Unreadable thumbnail %s", chosen.name, exc_info=True)
    return ImageSources(chosen.url, srcset, width, height)
