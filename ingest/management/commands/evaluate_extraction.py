"""Score the extractor on a corpus folder against gold claims (no database needed)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.corpus import CorpusFormatError, corpus_dir
from ingest.extraction.evaluation import evaluate, gold_read, report_lines


class Command(BaseCommand):
    help = "Run the extraction over every article file in DIR and score it against --gold."
    # Scoring reads files only: no migrations or database are needed.
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("dir", help="corpus folder of article files (*.txt)")
        parser.add_argument("--gold", required=True, help="gold claims, one JSON per line")
        parser.add_argument("--json", dest="json_out", help="also write the numbers here")
        parser.add_argument("--by-article", action="store_true",
                            help="also print a table of scores per article, worst first")

    def handle(self, *args, dir: str, gold: str, json_out: str | None = None,
               by_article: bool = False, **options):
        folder = Path(dir)
        if not folder.is_dir():
            raise CommandError(f"{dir} is not a folder")
        if not any(folder.glob("*.txt")):
            raise CommandError(f"{dir} holds no article files (*.txt)")
        try:
            rows = gold_read(Path(gold))
            result = evaluate(corpus_dir(folder), rows, corpus=dir)
        except FileNotFoundError as exc:
            raise CommandError(f"cannot read {exc.filename}") from exc
        except (ValueError, CorpusFormatError) as exc:
            raise CommandError(str(exc)) from exc
        if json_out:
            Path(json_out).write_text(
                json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        self.stdout.write("\n".join(report_lines(result, by_article=by_article)))
