from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """The indicator catalogue and engine over SSD tables."""

    name = "goldenthread.analytics"
    label = "analytics"
