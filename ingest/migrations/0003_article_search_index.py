"""A GIN index for full-text search over articles, on PostgreSQL only (SQLite searches
with a plain match). Built from the same expression the search uses, so the planner can
use it."""

from django.db import migrations

INDEX = "article_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from stances.search import article_vector

    Article = apps.get_model("ingest", "Article")
    schema_editor.add_index(Article, GinIndex(article_vector(config="english"), name=INDEX))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0002_ingest_pipeline")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
