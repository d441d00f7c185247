from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "goldenthread.access"
    label = "access"

    def ready(self) -> None:
        from goldenthread.access import signals  # noqa: F401 - connects sign-in auditing
