from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from easy_thumbnails.signals import saved_file

        from catalog import receivers
        from catalog.models import Category, Product, ProductImage, Variant

        for model in (Category, Product, Variant):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.catalog_changed,
                    sender=model,
                    dispatch_uid=f"catalog-nav-{model.__name__}-{signal is post_save}",
                )
        post_save.connect(
            receivers.product_search_refresh, sender=Product, dispatch_uid="catalog-search-product"
        )
        post_save.connect(
            receivers.category_search_refresh,
            sender=Category,
            dispatch_uid="catalog-search-category",
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.variant_search_refresh,
                sender=Variant,
                dispatch_uid=f"catalog-search-variant-{signal is post_save}",
            )
        saved_file.connect(
            receivers.product_image_thumbnails,
            sender=ProductImage,
            dispatch_uid="catalog-image-thumbnails",
        )
