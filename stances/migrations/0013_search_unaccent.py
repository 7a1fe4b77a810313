"""Search that forgives accents, on PostgreSQL: the `unaccent` extension, the text search
configuration `english_unaccent` (english, with unaccent before the stemmer), and the two
GIN indexes rebuilt on the expressions the search now uses (stances.search). SQLite folds
accents in the query itself and needs nothing here."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

ARTICLE_INDEX = "article_search_gin"
EVIDENCE_INDEX = "evidence_search_gin"

CREATE_CONFIG = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'english_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION english_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END $$;
"""


class Unaccent(UnaccentExtension):
    """UnaccentExtension, which skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _indexes(apps, schema_editor, config):
    from django.contrib.postgres.indexes import GinIndex

    from stances.search import article_vector, evidence_vector

    Article = apps.get_model("ingest", "Article")
    Evidence = apps.get_model("stances", "Evidence")
    schema_editor.execute(f"DROP INDEX IF EXISTS {ARTICLE_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {EVIDENCE_INDEX}")
    schema_editor.add_index(Article, GinIndex(article_vector(config=config), name=ARTICLE_INDEX))
    schema_editor.add_index(Evidence, GinIndex(evidence_vector(config=config), name=EVIDENCE_INDEX))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    _indexes(apps, schema_editor, "english_unaccent")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _indexes(apps, schema_editor, "english")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("stances", "0012_offer_changes"),
        ("ingest", "0007_article_url_is_web"),
    ]

    operations = [
        Unaccent(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
