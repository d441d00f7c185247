"""A local authority profile: calibration targets (each with its source) and behaviour.

Profiles are YAML files in `profiles/`; the file name is the profile's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

_PACKAGE = "goldenthread.synth"


class ProfileError(ValueError):
    """A profile is unknown or malformed; the message says which and what is allowed."""


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    source: str
    main: bool


@dataclass(frozen=True)
class Profile:
    name: str
    la_code: str
    ons_code: str
    population: int
    districts: tuple[str, ...]
    neighbours: tuple[str, ...]
    localities: tuple[str, ...]
    targets: dict[str, Target]
    behaviour: dict[str, Any]
    workforce: dict[str, float]

    def b(self, key: str) -> float:
        """A behaviour number (probability, mean, delay)."""
        return float(self.behaviour[key])


def available() -> list[str]:
    directory = resources.files(_PACKAGE).joinpath("profiles")
    return sorted(e.name.removesuffix(".yaml") for e in directory.iterdir()
                  if e.name.endswith(".yaml"))


def load_profile(name: str) -> Profile:
    known = available()
    if name not in known:
        raise ProfileError(f"--profile: unknown profile {name!r}; allowed: {', '.join(known)}")
    text = resources.files(_PACKAGE).joinpath("profiles", f"{name}.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    try:
        targets = {key: Target(key, float(t["value"]), str(t["source"]), bool(t.get("main")))
                   for key, t in raw["targets"].items()}
        return Profile(
            name=str(raw["name"]), la_code=str(raw["la_code"]), ons_code=str(raw["ons_code"]),
            population=int(raw["population"]["children_0_17"]),
            districts=tuple(raw["postcode_districts"]),
            neighbours=tuple(raw["neighbour_districts"]),
            localities=tuple(raw["localities"]), targets=targets,
            behaviour=dict(raw["behaviour"]),
            workforce={k: float(v) for k, v in raw["workforce"].items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ProfileError(f"profile {name!r} is malformed: {error!r}") from error
