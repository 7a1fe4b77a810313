from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self) -> None:
        from .roles import curators_group_ensure
        from .search import register_fold

        connection_created.connect(register_fold, dispatch_uid="stances.fold")

        # post_migrate is sent once per app, and each app's permissions are created in its
        # own turn; the group also needs the ingest app's, so it is kept in step after
        # every app (idempotent, one query for the permissions).
        post_migrate.connect(curators_group_ensure, dispatch_uid="stances.curators_group")
