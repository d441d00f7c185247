from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Case work: my work, the case summary, the chronology, finding a person."""

    name = "goldenthread.casework"
    label = "casework"
