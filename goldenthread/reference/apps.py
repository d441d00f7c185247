from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "goldenthread.reference"
    label = "reference"
