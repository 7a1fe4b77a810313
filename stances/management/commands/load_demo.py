from django.core.management.base import BaseCommand

from stances.services import demo_load


class Command(BaseCommand):
    help = "Load the curated demo dataset (actors, approved stances with evidence). Idempotent."

    def handle(self, *args, **options) -> None:
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {counts.actors} actors, {counts.articles} articles, "
                f"{counts.stances} stances, {counts.evidence} pieces of evidence."
            )
        )
