"""Recording a child's journey: the steps that make sense for the child now, one form per
step, a change form per record, and a contact about a child not yet known.

Views stay thin: a step's declaration (web/forms) says what to ask and which action saves
it; the action decides what is allowed and writes the audit trail, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from goldenthread.access.actions import record_viewed
from goldenthread.access.policy import access_person, access_record, may_see
from goldenthread.accounts.models import User
from goldenthread.core.errors import StaleRecord
from goldenthread.records.actions.casework import authorising_manager
from goldenthread.records.models import Person, Professional
from goldenthread.web.forms.edits import CORRECTION_PREFIX
from goldenthread.web.forms.form import RecordForm
from goldenthread.web.forms.registry import EDITS, SECTIONS, STEPS
from goldenthread.web.forms.state import ChildState, child_state
from goldenthread.web.forms.steps import Run, Step
from goldenthread.web.rules import access_rule, signed_in_user
from goldenthread.web.views.recording_pages import (
    changeable_records,
    new_contact_page,
    record_label,
)

__all__ = ["edit_record", "new_contact", "record_menu", "record_step"]


def professional_of(user: User) -> Professional | None:
    return Professional.objects.filter(user=user, archived_at__isnull=True).first()


def _links(step: Step, state: ChildState, person_id: int) -> list[dict[str, str]]:
    url = reverse("record_step", args=[person_id, step.slug])
    if not step.changes_a_record:
        return [{"text": step.title, "href": url}]
    return [{"text": f"{step.title}: {step.describe(target)}", "href": f"{url}?record={target.pk}"}
            for target in step.targets_of(state)]


@access_rule("recording")
@require_GET
def record_menu(request: HttpRequest, person_id: int) -> HttpResponse:
    """What can be recorded for this child now, by stage of the journey."""
    user = signed_in_user(request)
    child = access_person(user, person_id)
    record_viewed(user, child, page="record")
    state = child_state(child)
    manager = authorising_manager(user, state.today) is not None
    sections = []
    for section in SECTIONS:
        steps = [s for s in STEPS.values() if s.section == section]
        links = [link for s in steps if s.is_available(state)
                 and (manager or not s.manager_only) for link in _links(s, state, child.pk)]
        waiting = [{"title": s.title, "when": s.when} for s in steps
                   if not s.is_available(state) or (s.manager_only and not manager)]
        sections.append({"name": section, "links": links, "waiting": waiting})
    return render(request, "recording/menu.html", {
        "child": child, "sections": sections, "records": changeable_records(child)})


def _pick_target(step: Step, state: ChildState, wanted: str | None) -> Model:
    """The record an update step changes: the one asked for, if it is this child's."""
    targets = step.targets_of(state)
    if not wanted:
        return targets[0]
    found = next((t for t in targets if str(t.pk) == wanted), None)
    if found is not None:
        return found
    try:
        # No longer waiting for this step (someone else just did it): the version check
        # will show what they saved.
        return step.model._default_manager.get(pk=int(wanted), person=state.child,
                                               archived_at__isnull=True)
    except (ObjectDoesNotExist, ValueError):
        raise Http404("No such record") from None


def _version(request: HttpRequest, record: Model) -> int:
    if request.method != "POST":
        return int(getattr(record, "version", 1))
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0  # refused as stale, with the record's values shown


def form_page(request: HttpRequest, step: Step, run: Run, *, child: Person,
              heading: str, back: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    """Show a step's form; on a POST save it through its action, or show why not with
    everything typed kept."""
    form = RecordForm(step.build(run), default_on=step.default_on(run), record=run.target,
                      data=request.POST if request.method == "POST" else None,
                      initial=None if request.method == "POST" else step.initial(run))
    stale: StaleRecord | None = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                step.action(run, dict(form.values))
        except ValidationError as error:
            form.refuse(error)
        except StaleRecord as error:
            stale = error
            run.version = error.current_version  # a deliberate second save is theirs to make
        else:
            if may_see(signed_in_user(request), child):
                return redirect("person", person_id=child.pk)
            # Closing a case ends the allocation and, with it, this worker's reach: say so
            # rather than land on the "not found" every out-of-reach child gives.
            return render(request, "recording/saved_out_of_reach.html",
                          {"heading": heading, "person": child})
    return render(request, "recording/form.html", {
        "child": child, "step": step, "heading": heading, "form": form,
        "fields": form.shown(), "summary": form.summary(), "stale": stale,
        "differences": form.differences(stale, step.attnames()) if stale else [],
        "version": run.version, "target": run.target if step.changes_a_record else None,
        "back": back, **(extra or {})})


@access_rule("recording")
@require_http_methods(["GET", "POST"])
def record_step(request: HttpRequest, person_id: int, step: str) -> HttpResponse:
    user = signed_in_user(request)
    child = access_person(user, person_id)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404("No such step")
    state = child_state(child)
    back = reverse("record_menu", args=[child.pk])
    if not chosen.is_available(state) and not (chosen.changes_a_record
                                               and request.GET.get("record",
                                                                   request.POST.get("record"))):
        return render(request, "recording/unavailable.html",
                      {"child": child, "step": chosen, "back": back}, status=409)
    run = Run(user=user, me=professional_of(user), state=state)
    heading = chosen.title
    if chosen.changes_a_record:
        wanted = request.POST.get("record") if request.method == "POST" \
            else request.GET.get("record")
        run.target = _pick_target(chosen, state, wanted)
        run.version = _version(request, run.target)
        heading = f"{chosen.title}: {chosen.describe(run.target)}"
    if request.method == "GET":
        record_viewed(user, child, page=f"record:{chosen.slug}")
    return form_page(request, chosen, run, child=child, heading=heading, back=back)


@access_rule("recording")
@require_http_methods(["GET", "POST"])
def edit_record(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Change a saved record, refused if someone else saved it after this user opened it."""
    user = signed_in_user(request)
    step = EDITS.get(record_type)
    if step is None:
        raise Http404("No such record")
    if step.model is Person:
        target: Model = access_person(user, record_id)
        child = target
    else:
        target = access_record(user, step.model, record_id)
        child = target.person  # type: ignore[attr-defined]
    assert isinstance(child, Person)
    run = Run(user=user, me=professional_of(user), state=child_state(child), target=target,
              version=_version(request, target))
    if request.method == "GET":
        record_viewed(user, child, page=f"edit:{record_type}:{target.pk}")
    verb = "Correct the date of" if record_type.startswith(CORRECTION_PREFIX) else "Change"
    return form_page(request, step, run, child=child,
                     heading=f"{verb} the {record_label(target)}",
                     back=reverse("record_menu", args=[child.pk]), extra={"editing": True})


@access_rule("recording")
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    """A contact about a child not yet known: the child's details first, possible
    duplicates shown before a new person is saved."""
    user = signed_in_user(request)
    run = Run(user=user, me=professional_of(user), state=None)
    response = new_contact_page(request, run, STEPS["contact"], EDITS["person"])
    if isinstance(response, Person):
        if may_see(user, response):
            return redirect("person", person_id=response.pk)
        return render(request, "recording/contact_recorded.html", {"person": response})
    return response
