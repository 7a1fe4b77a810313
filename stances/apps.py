from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StancesConfig(AppConfig):
    name = "stances"
    verbose_name = "Stances"

    def ready(self) -> None:
        from .roles import curators_group_ensure

        # After migrate, when Django has created the permissions the group is made of.
        post_migrate.connect(curators_group_ensure, sender=self)
