"""A GIN index for full-text search over evidence sentences, on PostgreSQL only (SQLite
searches with a plain match). Built from the same expression the search uses."""

from django.db import migrations

INDEX = "evidence_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from stances.search import evidence_vector

    Evidence = apps.get_model("stances", "Evidence")
    schema_editor.add_index(Evidence, GinIndex(evidence_vector(config="english"), name=INDEX))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("stances", "0004_history_and_disputes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
