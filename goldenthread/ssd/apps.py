from django.apps import AppConfig


class SsdConfig(AppConfig):
    """The SSD layer: projection of the records into ssd_* tables, and import of extracts."""

    name = "goldenthread.ssd"
    label = "ssd"
    verbose_name = "Standard Safeguarding Dataset"
