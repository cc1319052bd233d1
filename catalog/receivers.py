from catalog.selectors import category_nav_invalidate


def catalog_changed(sender, **kwargs) -> None:
    """Forget the cached header categories when staff change what is on sale."""
    category_nav_invalidate()
