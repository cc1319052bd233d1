from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.images import product_image_sources

register = template.Library()


@register.simple_tag
def product_image(image, kind: str, *, sizes: str, alt: str = "", width: int = 480, lazy=True):
    """An <img> of a product image with responsive thumbnails: `kind` is "card" (square) or
    "detail" (whole); `width` is the width it is laid out at most of the time; a true `lazy`
    loads it only near the viewport (not for the first picture a shopper sees)."""
    sources = product_image_sources(image, kind, default_width=width)
    return format_html(
        '<img src="{}"{} sizes="{}" alt="{}" width="{}" height="{}"{} decoding="async">',
        sources.src,
        format_html(' srcset="{}"', sources.srcset) if sources.srcset else "",
        sizes,
        alt,
        sources.width,
        sources.height,
        mark_safe(' loading="lazy"') if lazy else "",
    )
