"""Every recording step by its name in the URL, in the order of a child's journey."""

from __future__ import annotations

from goldenthread.web.forms import care, journey
from goldenthread.web.forms.edits import EDITS, PERSON_FIELDS
from goldenthread.web.forms.steps import Step

STEPS: dict[str, Step] = {step.slug: step for step in (*journey.STEPS, *care.STEPS)}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(step.section for step in STEPS.values()))

__all__ = ["EDITS", "PERSON_FIELDS", "SECTIONS", "STEPS"]
