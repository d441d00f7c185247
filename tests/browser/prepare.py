"""Fill the browser tests' database, then say which synthetic children the tests visit.

Run by app_server.py as `python -m tests.browser.prepare` with the server's DATABASE_URL
(one process, so Django starts once): migrate, load the code lists, a small synthetic
council and the demo sign-ins, then print JSON. The synthetic council is random, so the tests
ask rather than assume: the child is one allocated to the demo social worker, with an open
referral, in care or on a child protection plan when there is one (a fuller case summary
and chronology).
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any

SYNTH_SCALE = "0.01"  # about 1,100 children: enough for real pages, quick to load


def fill() -> None:
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_reference", stdout=quiet)
    call_command("synth", scale=float(SYNTH_SCALE), seed=1, stdout=quiet)
    call_command("demo_users", stdout=quiet)  # GOLDENTHREAD_DEMO=1 in this process only


def pick() -> dict[str, Any]:
    from django.db.models import Exists, OuterRef

    from goldenthread.records.models import CPPlan, Involvement, PeriodOfCare, Person, Referral

    allocated = Involvement.objects.filter(
        person=OuterRef("pk"), role="CW", end_date__isnull=True, archived_at__isnull=True,
        professional__user__username="demo-social-worker")
    open_referral = Referral.objects.filter(person=OuterRef("pk"), closure_date__isnull=True)
    in_care = PeriodOfCare.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    on_plan = CPPlan.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    candidates = (Person.objects.filter(Exists(allocated), Exists(open_referral),
                                        archived_at__isnull=True, is_restricted=False)
                  .annotate(rich=Exists(in_care) | Exists(on_plan)).order_by("-rich", "pk"))
    child = candidates.first()
    if child is None:
        raise SystemExit("no child is allocated to demo-social-worker with an open referral")
    worker = Involvement.objects.filter(person=child, role="CW", end_date__isnull=True,
                                        archived_at__isnull=True).select_related(
                                            "professional").get().professional
    return {"child": {"id": child.pk, "forename": child.forename, "surname": child.surname,
                      "full_name": child.full_name, "la_person_id": child.la_person_id,
                      "date_of_birth": child.date_of_birth.isoformat()
                      if child.date_of_birth else None,
                      "in_care_or_on_plan": bool(child.rich)},
            "worker": {"forename": worker.forename, "surname": worker.surname}}


WALK_PERSONAS = {  # username → (role, who in the synthetic workforce they sign in as)
    "walk-front-door": "front_door",
    "walk-social-worker": "social_worker",
    "walk-team-manager": "team_manager",
}


def walk_personas() -> dict[str, Any]:
    """Sign-ins for the walk from contact to closure, linked to synthetic staff who hold no
    cases of the demo sign-ins: a front-door (MASH) worker, and a social worker and their
    team manager in one team, so the manager reaches the team's new child to authorise."""
    from goldenthread.access.actions import do_create_demo_user
    from goldenthread.access.management.commands.demo_users import DEMO_PASSWORD
    from goldenthread.accounts.models import system_user
    from goldenthread.records.actions.base import change_record
    from goldenthread.records.models import Professional, TeamKind, TeamMembership

    current = TeamMembership.objects.filter(end_date__isnull=True, archived_at__isnull=True,
                                            professional__leave_date__isnull=True,
                                            professional__user__isnull=True)
    front_door = current.filter(team__name__icontains="front door").select_related(
        "professional").order_by("pk").first()
    team_ids = current.filter(team__kind=TeamKind.TEAM, is_team_manager=True).values("team_id")
    worker = (current.filter(team_id__in=team_ids, is_team_manager=False,
                             professional__is_social_worker=True,
                             professional__is_manager=False)
              .exclude(team__name__icontains="front door")
              .select_related("professional", "team").order_by("team_id", "pk").first())
    if front_door is None or worker is None:
        raise SystemExit("the synthetic workforce has no free front-door worker, or no team "
                         "with a free manager and social worker")
    manager = current.filter(team=worker.team, is_team_manager=True).select_related(
        "professional").order_by("pk").first()
    assert manager is not None
    actor = system_user()
    people: dict[str, Professional] = {"walk-front-door": front_door.professional,
                                       "walk-social-worker": worker.professional,
                                       "walk-team-manager": manager.professional}
    facts: dict[str, Any] = {"team": worker.team.name}
    for username, role in WALK_PERSONAS.items():
        user = do_create_demo_user(username, password=DEMO_PASSWORD, roles=[role],
                                   acting_user=actor)
        staff = Professional.objects.get(pk=people[username].pk)
        if staff.user_id is None:
            change_record(staff, acting_user=actor, expected_version=staff.version, user=user)
        facts[username] = {"name": staff.name, "option": f"{staff.name} ({staff.job_title})"}
    return facts


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.config.settings")
    import django

    django.setup()
    fill()
    sys.stdout.write(json.dumps({**pick(), "walk": walk_personas()}) + "\n")  # to app_server


if __name__ == "__main__":
    main()
