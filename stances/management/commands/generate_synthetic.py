import time

from django.core.management.base import BaseCommand, CommandError

from stances.synthetic import synthetic_generate


class Command(BaseCommand):
    help = "Add a realistic synthetic dataset (for benchmarks): stances, articles, evidence."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stances", type=int, default=1000)
        parser.add_argument("--articles", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, stances: int, articles: int, seed: int, **options) -> None:
        if stances < 0 or articles < 1:
            raise CommandError("--stances must be 0 or more and --articles at least 1.")
        began = time.perf_counter()
        counts = synthetic_generate(stances=stances, articles=articles, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data added: {counts.stances} stances, {counts.articles} articles, "
                f"{counts.evidence} pieces of evidence, {counts.actors} actors "
                f"in {time.perf_counter() - began:.1f}s."
            )
        )
