"""`manage.py ingest PATH_OR_URL ... [--feed URL] [--sync]`: files, folders, URLs and feeds
become one ingest run each, with a progress bar and a summary."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError
from tqdm import tqdm

from config.celery import app
from ingest import services
from ingest.models import IngestRun


class Command(BaseCommand):
    help = "Ingest article files, folders and URLs; --feed registers and polls a feed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("inputs", nargs="*", metavar="PATH_OR_URL")
        parser.add_argument(
            "--feed", action="append", default=[], metavar="URL",
            help="register this RSS/Atom feed and poll it now (repeatable)",
        )
        parser.add_argument(
            "--sync", action="store_true", help="process in this process, not by the workers"
        )
        parser.add_argument("--label", default="", help="a note on the run, shown to curators")
        parser.add_argument(
            "--worker-timeout", type=float, default=15.0, metavar="SECONDS",
            help="how long to wait for a Celery worker to answer before giving up (15)",
        )

    def handle(self, *args, **options) -> None:
        if not options["inputs"] and not options["feed"]:
            raise CommandError("Give at least one PATH_OR_URL or --feed URL.")
        # Without a broker, tasks run eagerly anyway: do it here, with a live progress bar.
        sync = options["sync"] or app.conf.task_always_eager
        if not sync:
            # Waiting on a queue nobody reads would hang forever: ask first.
            self._worker_ensure(options["worker_timeout"])
        runs: list[IngestRun] = []
        if options["inputs"]:
            inputs = services.inputs_from_args(options["inputs"])
            label = options["label"] or ", ".join(options["inputs"])
            runs.append(services.run_create(inputs=inputs, source="cli", label=label))
        for url in options["feed"]:
            feed = services.feed_register(url=url)
            run = services.feed_poll(feed_id=feed.pk, force=True)
            if run is None:
                self.stdout.write(f"Feed {feed.url}: no new entries.")
            else:
                runs.append(run)
        finished = [self._execute(run, sync=sync) for run in runs]
        for run in finished:
            self._summary(run)
        if finished and all(run.status == "failed" for run in finished):
            raise CommandError("Nothing could be ingested.")

    def _worker_ensure(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if app.control.ping(timeout=1.0):
                    return
            except (OSError, OperationalError) as exc:
                raise CommandError(f"The Celery broker does not answer: {exc}") from exc
            if time.monotonic() >= deadline:
                raise CommandError(
                    "No Celery worker answered within "
                    f"{timeout:g} s. Start one (celery -A config worker) or use --sync "
                    "to ingest in this process. Nothing was queued."
                )

    def _execute(self, run: IngestRun, *, sync: bool) -> IngestRun:
        bar = tqdm(
            total=run.total, initial=run.processed, unit="item", desc=f"Run {run.pk}",
            file=self.stderr._out, disable=run.total < 2,
        )
        with bar:
            if sync:
                run = services.run_execute(run_id=run.pk, progress=lambda item: bar.update(1))
            else:
                services.run_enqueue(run)
                while not run.finished:
                    time.sleep(0.5)
                    run.refresh_from_db()
                    bar.update(run.processed - bar.n)
        return run

    def _summary(self, run: IngestRun) -> None:
        style = self.style.SUCCESS if run.status == "done" else self.style.ERROR
        self.stdout.write(
            style(
                f"Run {run.pk} {run.get_status_display().lower()}: {run.new_count} new, "
                f"{run.duplicate_count} duplicate{'s' if run.duplicate_count != 1 else ''}, "
                f"{run.failed_count} failed, {run.stances_proposed} stances proposed."
            )
        )
        for item in run.items.failed():
            self.stdout.write(f"  failed: {item.source}: {item.error}")
