from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"

    def ready(self):
        """Fail at startup, not on a user's first request, when environments are misconfigured."""
        from console import environments

        environments.all_environments()
