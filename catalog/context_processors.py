from catalog.selectors import category_list


def header_categories(request) -> dict:
    """Give the header its category list, loaded (from the cache) only if a template shows it."""
    return {"nav_categories": category_list}
