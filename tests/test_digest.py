"""Subscribers get an e-mail digest of changes of position, and a notice when a watched
country has gone quiet; beat runs it daily; sending twice sends nothing new."""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from stances import services, tasks
from stances.models import Country, Subscription, Topic

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user(
        "reader", email="reader@example.org", password="pw-reader-123"
    )


def watch(user, iso2: str | None = None, *, since: dt.datetime | None = None) -> Subscription:
    return Subscription.objects.create(
        user=user,
        topic=Topic.objects.get(slug=settings.DEFAULT_TOPIC),
        country=Country.objects.get(iso2=iso2) if iso2 else None,
        created_at=since or timezone.now() - dt.timedelta(days=1),
        notified_until=since or timezone.now() - dt.timedelta(days=1),
    )


def test_a_change_of_position_reaches_the_watcher_once(reader, curator, mailoutbox):
    watch(reader, "DE")
    make_stance("DE", "hedge", date=timezone.localdate() - dt.timedelta(days=5))
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    pledge = make_stance(
        "DE", "pledge", actor=merz, date=timezone.localdate(), status="proposed"
    )
    services.stances_review(stance_ids=[pledge.pk], approve=True, user=curator)

    assert tasks.digests_send_all.delay().get() == 1

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "Stance tracker: 1 change of position"
    assert "Germany (" in message.body
    assert "hedge → pledge" in message.body and "(Friedrich Merz)" in message.body
    assert f"{settings.SITE_URL}/t/{settings.DEFAULT_TOPIC}/de/#change-" in message.body
    assert f"{settings.SITE_URL}/subscriptions/" in message.body

    tasks.digests_send_all.delay()
    assert len(mailoutbox) == 1, "nothing new, nothing sent"


def test_only_what_is_watched(reader, curator, mailoutbox):
    watch(reader, "FR")
    proposal = make_stance("DE", "pledge", status="proposed")
    services.stances_review(stance_ids=[proposal.pk], approve=True, user=curator)
    assert services.digest_send(user_id=reader.pk) is False
    assert mailoutbox == []


def test_a_topic_subscription_covers_every_country(reader, curator, mailoutbox):
    watch(reader)
    ids = [make_stance(c, "pledge", status="proposed").pk for c in ("DE", "FR")]
    services.stances_review(stance_ids=ids, approve=True, user=curator)
    assert services.digest_send(user_id=reader.pk)
    assert mailoutbox[0].subject == "Stance tracker: 2 changes of position"
    assert "France" in mailoutbox[0].body and "Germany" in mailoutbox[0].body


def test_a_quiet_country_gets_one_notice_per_silence(reader, mailoutbox, settings):
    settings.QUIET_NOTICE_DAYS = 30
    watch(reader, "PL")
    make_stance("PL", "hedge", date=timezone.localdate() - dt.timedelta(days=45))

    assert services.digest_send(user_id=reader.pk)
    assert mailoutbox[0].subject == "Stance tracker: no news from Poland"
    assert "Poland has said nothing new" in mailoutbox[0].body
    assert "for 45 days" in mailoutbox[0].body

    assert services.digest_send(user_id=reader.pk) is False
    make_stance("PL", "hedge", date=timezone.localdate() - dt.timedelta(days=31))
    assert services.digest_send(user_id=reader.pk), "a new statement, then silence again"
    assert len(mailoutbox) == 2


def test_a_recent_statement_is_no_silence(reader, mailoutbox):
    watch(reader, "PL")
    make_stance("PL", "hedge", date=timezone.localdate() - dt.timedelta(days=3))
    assert services.digest_send(user_id=reader.pk) is False


def test_users_without_email_are_skipped(django_user_model, curator, mailoutbox):
    silent = django_user_model.objects.create_user("noaddress", password="pw-x-123456")
    watch(silent, "DE")
    proposal = make_stance("DE", "pledge", status="proposed")
    services.stances_review(stance_ids=[proposal.pk], approve=True, user=curator)
    assert tasks.digests_send_all.delay().get() == 0
    assert services.digest_send(user_id=silent.pk) is False
    assert mailoutbox == []


def test_beat_schedules_the_digest_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["digests"]
    assert entry["task"] == "stances.digests_send_all"
    assert entry["schedule"].hour == {settings.DIGEST_HOUR_UTC}


class _SMTPSink:
    """A minimal SMTP server on 127.0.0.1: enough of RFC 5321 for Django's SMTP backend."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.messages: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn, conn.makefile("rwb") as f:

            def say(line: str) -> None:
                f.write(line.encode() + b"\r\n")
                f.flush()

            say("220 sink")
            while line := f.readline().decode():
                verb = line.strip().split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 sink")
                elif verb == "DATA":
                    say("354 go on")
                    body = []
                    while (data := f.readline().decode()) not in (".\r\n", ""):
                        body.append(data)
                    self.messages.append("".join(body))
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 ok")


def test_digest_goes_out_over_smtp_when_configured(reader, curator, settings):
    sink = _SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    watch(reader, "DE")
    proposal = make_stance("DE", "pledge", status="proposed")
    services.stances_review(stance_ids=[proposal.pk], approve=True, user=curator)

    assert services.digest_send(user_id=reader.pk)

    sink.thread.join(timeout=5)
    assert len(sink.messages) == 1 and "no position → pledge" in sink.messages[0]


def _email_settings(**env: str) -> dict:
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'backend': settings.EMAIL_BACKEND, 'host': settings.EMAIL_HOST, "
        "'port': settings.EMAIL_PORT, 'tls': settings.EMAIL_USE_TLS}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parent.parent,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_email_goes_to_the_console_unless_smtp_is_configured():
    assert _email_settings()["backend"] == "django.core.mail.backends.console.EmailBackend"
    smtp = _email_settings(EMAIL_HOST="smtp.example.org", EMAIL_PORT="465", EMAIL_USE_TLS="1")
    assert smtp == {
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.org",
        "port": 465,
        "tls": True,
    }
