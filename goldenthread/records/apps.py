from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "goldenthread.records"
    label = "records"
    verbose_name = "Records"
