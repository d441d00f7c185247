"""My work, the home page: the signed-in user's children and what is due for each; a
manager's teams too, filterable by worker. The work is computed in casework.tasks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from goldenthread.access.actions import record_searched
from goldenthread.casework.tasks import Due, Kind, Task, my_work
from goldenthread.web.rules import access_rule, signed_in_user

# Where each kind of task is done, once the recording pages name it: the first URL name
# that resolves (with the record's id) wins; otherwise the record the task hangs from.
RECORDING_PAGES: dict[Kind, tuple[str, ...]] = {}
STATUS_TAGS = {Due.OVERDUE: "govuk-tag--red", Due.SOON: "govuk-tag--yellow",
               Due.LATER: "govuk-tag--grey"}


def task_url(task: Task) -> str:
    for name in RECORDING_PAGES.get(task.kind, ()):
        try:
            return reverse(name, args=[task.record_id])
        except NoReverseMatch:
            continue
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
                   "task_url": task_url})
