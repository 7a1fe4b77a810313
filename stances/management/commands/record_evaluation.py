"""Store the JSON written by `evaluate_extraction --json OUT`, for the methodology page."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stances.models import ExtractionEvaluation
from stances.services import evaluation_record


class Command(BaseCommand):
    help = "Record an extraction evaluation (the JSON of evaluate_extraction --json)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("json_file", type=Path)
        parser.add_argument(
            "--description", default="",
            help="what the corpus is to the extractor, shown on the methodology page "
            "(e.g. 'held out: never used to tune the rules')",
        )

    def handle(self, *args, json_file: Path, description: str = "", **options) -> None:
        try:
            data = json.loads(json_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {json_file}: {exc.strerror or exc}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{json_file} is not JSON: {exc}") from exc
        try:
            evaluation: ExtractionEvaluation = evaluation_record(
                result=data, description=description
            )
        except ValueError as exc:
            raise CommandError(f"{json_file}: {exc}") from exc
        micro = evaluation.micro
        self.stdout.write(
            f"Recorded evaluation of extractor {evaluation.extractor_version} on "
            f"{evaluation.corpus}: precision {micro['precision']:.2f}, "
            f"recall {micro['recall']:.2f}."
        )
