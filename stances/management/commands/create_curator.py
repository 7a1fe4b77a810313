"""manage.py create_curator USERNAME --email ... [--name "First Last"]

Makes (or promotes) a curator: in the Curators group, staff so the admin opens. The password
is asked for twice, or taken from the environment variable CURATOR_PASSWORD (for scripts;
never on the command line, where other users of the machine can read it)."""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stances.roles import CURATORS, curator_make

PASSWORD_ENV = "CURATOR_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


class Command(BaseCommand):
    help = (
        "Create a curator account (or make an existing user one): in the Curators group, "
        f"staff. The password is prompted for, or read from ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Where the daily digests go.")
        parser.add_argument(
            "--name", default="", help='Shown as "reviewed by <name>" on public pages.'
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Never prompt: a new account takes its password from ${PASSWORD_ENV}.",
        )

    def handle(self, *args, username: str, email: str, name: str, interactive: bool, **options):
        from django.contrib.auth import get_user_model

        exists = get_user_model().objects.filter(username=username).exists()
        password = os.environ.get(PASSWORD_ENV) or None
        if password is None and not exists:
            if not interactive:
                raise CommandError(f"A new curator needs a password: set ${PASSWORD_ENV}.")
            password = self._ask()
        try:
            user, created = curator_make(
                username=username, email=email, password=password, name=name
            )
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        except ValueError as refused:
            raise CommandError(str(refused)) from refused
        what = "Created curator" if created else "Made curator"
        kept = "" if created or password else " (password unchanged)"
        self.stdout.write(
            self.style.SUCCESS(f"{what} {user.get_username()}{kept}: in {CURATORS}, staff.")
        )

    def _ask(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password
