"""The full-text indexes behind the search box, on paragraphs' text and notes' bodies: a
GIN index on PostgreSQL, FTS5 tables kept current by triggers on SQLite. What each is, and
why, is in resolutions/search.py (``ensure_search_indexes``, also run after every
``migrate``, since SQLite drops a table's triggers when a later migration remakes it)."""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from resolutions.search import ensure_search_indexes

    ensure_search_indexes(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    from resolutions.search import drop_search_indexes

    drop_search_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0014_orphans_stay_put"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
