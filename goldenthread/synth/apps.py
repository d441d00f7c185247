from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "goldenthread.synth"
    label = "synth"
    verbose_name = "Synthetic local authority"
