# Full-text search of products (issue 14, point 19): the pg_trgm extension for misspelt names,
# a weighted search vector on each product with a GIN index, filled for the products there are.
# On SQLite the column exists but stays empty, and neither the extension nor the index is made.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex for an index only PostgreSQL has (GIN); elsewhere only the state changes."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from catalog.search import product_search_vector

    Product = apps.get_model("catalog", "Product")
    Product.objects.using(schema_editor.connection.alias).update(
        search_vector=product_search_vector(
            category_model=apps.get_model("catalog", "Category"),
            variant_model=apps.get_model("catalog", "Variant"),
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_product_position'),
    ]

    operations = [
        # CreateExtension does nothing on other databases.
        TrigramExtension(),
        migrations.AddField(
            model_name='product',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        AddIndexOnPostgres(
            model_name='product',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='catalog_product_search'),
        ),
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
