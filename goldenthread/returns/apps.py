from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Statutory returns built from SSD tables."""

    name = "goldenthread.returns"
    label = "returns"
