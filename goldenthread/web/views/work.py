"""My work, the home page: the signed-in user's children and what is due for each; a
manager's teams too, filterable by worker. The work is computed in casework.tasks."""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from goldenthread.access.actions import record_searched
from goldenthread.access.policy import has_role_flag
from goldenthread.casework.tasks import Due, Kind, Task, my_work
from goldenthread.web.rules import access_rule, signed_in_user

# Where each kind of task is done: the recording step (W2's /people/<id>/record/<step>/),
# with the record it changes where the step needs one. A kind with no step (an SDQ) links
# to the record the task hangs from.
RECORDING_STEPS: dict[Kind, tuple[str, bool]] = {
    Kind.ASSESSMENT: ("", False),  # start or complete: the child's recording menu says which
    Kind.AUTHORISE_ASSESSMENT: ("assessment-authorise", True),
    Kind.ICPC: ("initial-conference", False),
    Kind.CP_REVIEW: ("cp-review", False),
    Kind.CP_VISIT: ("cp-visit", False),
    Kind.CLA_REVIEW: ("cla-review", False),
    Kind.CLA_VISIT: ("cla-visit", False),
    Kind.RHI: ("return-home-interview", True),
    Kind.PERMANENCE_PLAN: ("permanence-plan", False),
}
STATUS_TAGS = {Due.OVERDUE: "govuk-tag--red", Due.SOON: "govuk-tag--yellow",
               Due.LATER: "govuk-tag--grey"}


def task_url(task: Task, *, may_record: bool = True) -> str:
    """The page where the task is done, else (or for a role that only reads) the record it
    hangs from."""
    step = RECORDING_STEPS.get(task.kind) if may_record else None
    try:
        if step is not None and not step[0]:
            return reverse("record_menu", args=[task.person_id])
        if step is not None:
            url = reverse("record_step", args=[task.person_id, step[0]])
            return f"{url}?record={task.record_id}" if step[1] else url
    except NoReverseMatch:
        pass
    return reverse("record", args=[task.record_type, task.record_id])


@access_rule("signed_in")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    chosen = request.GET.get("worker", "")
    work = my_work(user, worker=int(chosen) if chosen.isdigit() else None)
    # A list of children is a look at their records: one audit event for the page.
    record_searched(user, terms={"page": "my_work", "worker": chosen},
                    results=len(work.children))
    return render(request, "work/my_work.html",
                  {"work": work, "statuses": list(Due), "tags": STATUS_TAGS,
                   "task_url": functools.partial(
                       task_url, may_record=has_role_flag(user, "may_record"))})
