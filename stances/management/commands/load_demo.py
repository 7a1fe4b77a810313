from django.core.management.base import BaseCommand

from stances.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the curated demo dataset (actors, approved stances with evidence). Idempotent, "
        "and safe beside curated data: what was loaded once is left as curators left it."
    )

    def handle(self, *args, **options) -> None:
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {counts.actors} actors, {counts.articles} articles, "
                f"{counts.stances} stances, {counts.evidence} pieces of evidence."
            )
        )
        if counts.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"{counts.skipped} demo statement(s) not loaded: the note on record "
                    "no longer holds their sentence."
                )
            )
