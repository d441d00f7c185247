"""The catalogue's declarations, one module per area; importing this registers them all."""

from importlib import import_module

_AREAS = ("frontdoor", "child_protection", "children_in_need", "looked_after", "missing",
          "health", "adoption", "care_leavers", "workforce")

for _area in _AREAS:
    try:
        import_module(f"goldenthread.analytics.indicators.{_area}")
    except ModuleNotFoundError as error:  # an area not yet written
        if error.name != f"goldenthread.analytics.indicators.{_area}":
            raise
