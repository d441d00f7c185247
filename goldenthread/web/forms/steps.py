"""A recording step declared once: which record it writes, which of the model's fields it
asks for (with labels and hints), the button, the action that saves it, and when it makes
sense. The form's questions are built from the model's fields, so a date is a GOV.UK date
input, a code a list of the codes valid on the day, a link a choice from an allowed list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Model
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.core.errors import refuse
from goldenthread.core.fields import CodeField
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.models import Person, Professional
from goldenthread.web.forms import fields as f
from goldenthread.web.forms.state import ChildState

M = TypeVar("M", bound=Model)


@dataclass
class Run:
    """One use of a step: who, about which child, changing which record at which version."""

    user: User
    me: Professional | None
    state: ChildState | None
    target: Model | None = None
    version: int | None = None

    @property
    def journey(self) -> ChildState:
        assert self.state is not None, "a step about a child needs the child's state"
        return self.state

    @property
    def child(self) -> Person:
        return self.journey.child

    @property
    def today(self) -> dt.date:
        return self.state.today if self.state is not None else timezone.localdate()

    def the_target(self, model: type[M]) -> M:
        assert isinstance(self.target, model), f"this step changes a {model.__name__}"
        return self.target

    def expected_version(self) -> int:
        assert self.version is not None, "a change carries the version it was read at"
        return self.version


Choices = Callable[[Run], Sequence[tuple[Model, str]]]
Save = Callable[[Run, dict[str, Any]], Model]


@dataclass(frozen=True)
class Spec:
    """One question: a model field, its label and hint, and what the field alone can't say."""

    name: str
    label: str
    hint: str = ""
    model: type[Model] | None = None  # another model than the step's (e.g. the placement)
    required: bool | None = None  # None: as the model says
    choices: Choices | None = None  # for a link to another record
    initial: Callable[[Run], Any] | None = None
    aliases: tuple[str, ...] = ()  # other names the model's refusals use for this question
    only: frozenset[str] | None = None  # of a code list, only these codes
    exclude: frozenset[str] = frozenset()
    code_list: str | None = None  # a checklist of codes that is not one model field
    dated_by: str | None = None  # with code_list: the field that dates the codes
    missing: str = ""


def always(state: ChildState) -> bool:
    return True


def needed(record: M | None, field: str, what: str) -> M:
    """A record the step hangs from (the open referral, plan or period of care); if it has
    gone since the page was opened, the refusal says what to record first."""
    if record is None:
        raise refuse(field, f"the child has no {what} now; record that first")
    return record


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    section: str
    model: type[Model]
    fields: tuple[Spec, ...]
    submit: str
    action: Save  # saves the step through the records' actions
    when: str = ""  # the state the child must be in, in words
    available: Callable[[ChildState], bool] = always
    targets: Callable[[ChildState], Sequence[Model]] | None = None
    describe: Callable[[Any], str] = str  # names a target record in a link or heading
    on: Callable[[Run], dt.date | None] | None = None  # the day codes are valid on
    manager_only: bool = False
    intro: str = ""

    @property
    def changes_a_record(self) -> bool:
        return self.targets is not None

    def is_available(self, state: ChildState) -> bool:
        if self.targets is not None:
            return bool(self.targets(state))
        return self.available(state)

    def targets_of(self, state: ChildState) -> list[Model]:
        return list(self.targets(state)) if self.targets is not None else []

    def attnames(self) -> dict[str, str]:
        """Each question's key in an audit snapshot (the stale-save comparison)."""
        names = {}
        for spec in self.fields:
            if spec.code_list is None:
                model_field = (spec.model or self.model)._meta.get_field(spec.name)
                names[spec.name] = str(getattr(model_field, "attname", spec.name))
        return names

    def build(self, run: Run) -> list[f.FormField]:
        return [build_field(spec, self.model, run) for spec in self.fields]

    def initial(self, run: Run) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.fields:
            value = getattr(run.target, spec.name, None) if run.target is not None \
                and (spec.model or self.model) is type(run.target) else None
            if spec.code_list is not None and run.target is not None:
                value = spec.initial(run) if spec.initial is not None else None
            elif value in (None, "") and spec.initial is not None:
                value = spec.initial(run)
            values[spec.name] = value
        return values

    def default_on(self, run: Run) -> dt.date:
        day = self.on(run) if self.on is not None else None
        return day or run.today


def _required(model_field: models.Field[Any, Any]) -> bool:
    return not model_field.blank


def build_field(spec: Spec, default_model: type[Model], run: Run) -> f.FormField:  # noqa: C901
    """The question for one declared field, from the model field it fills."""
    common: dict[str, Any] = {"hint": spec.hint, "aliases": spec.aliases}
    if spec.missing:
        common["missing"] = spec.missing
    if spec.code_list is not None:
        return f.CodeChecklist(spec.name, spec.label, code_list_id=spec.code_list,
                               only=spec.only, exclude=spec.exclude, dated_by=spec.dated_by,
                               required=bool(spec.required), **common)
    model_field = (spec.model or default_model)._meta.get_field(spec.name)
    assert isinstance(model_field, models.Field)
    required = _required(model_field) if spec.required is None else spec.required
    common["required"] = required
    if isinstance(model_field, CodeField):
        return f.CodeChoice(spec.name, spec.label, code_list_id=model_field.code_list,
                            only=spec.only, exclude=spec.exclude,
                            dated_by=model_field.dated_by, **common)
    if isinstance(model_field, models.ForeignKey):
        assert spec.choices is not None, f"{spec.name}: a link needs its choices"
        choices = list(spec.choices(run))
        current = getattr(run.target, spec.name, None) if run.target is not None else None
        if isinstance(current, Model) and all(c.pk != current.pk for c, _ in choices):
            choices.append((current, str(current)))  # keep a choice no longer offered
        return f.ModelChoice(spec.name, spec.label, choices=choices, **common)
    if isinstance(model_field, models.BooleanField):
        if model_field.null:
            return f.YesNo(spec.name, spec.label, allow_unknown=not required, **common)
        if model_field.has_default() and spec.required is None:
            common["required"] = False
            return f.Checkbox(spec.name, spec.label, **common)
        return f.YesNo(spec.name, spec.label, **{**common, "required": True})
    if isinstance(model_field, models.DateTimeField):
        return f.DateTimeField(spec.name, spec.label, **common)
    if isinstance(model_field, models.DateField):
        return f.DateField(spec.name, spec.label, **common)
    if isinstance(model_field, models.DecimalField):
        return f.DecimalField(spec.name, spec.label, **common)
    if isinstance(model_field, models.IntegerField):
        return f.IntegerField(spec.name, spec.label, **common)
    if isinstance(model_field, models.TextField):
        return f.TextArea(spec.name, spec.label, **common)
    return f.TextField(spec.name, spec.label, max_length=model_field.max_length, **common)


# Saving: the common shapes. A step with more to do calls its own action.

def create(model: type[Model], **links: Callable[[Run], Any]) -> Save:
    """Create a record about the child; `links` give its parents (e.g. the open referral)."""
    def save(run: Run, values: dict[str, Any]) -> Model:
        parents = {name: link(run) for name, link in links.items()}
        return create_record(model, acting_user=run.user, person=run.child,  # type: ignore[type-var]
                             **parents, **values)
    return save


def change(run: Run, values: dict[str, Any]) -> Model:
    """Change the step's record, refused if someone saved it since this user read it."""
    assert run.target is not None
    return change_record(run.target, acting_user=run.user,  # type: ignore[type-var]
                         expected_version=run.expected_version(), **values)
