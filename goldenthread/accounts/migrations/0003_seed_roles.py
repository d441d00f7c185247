"""The roles every council starts with (issue 3). Councils may add their own as data."""

from django.db import migrations

ROLES = [
    # code, name, scopes, may_break_glass, pseudonymised rows, manages staff, admin
    ("social_worker", "Social worker", ["allocated", "team"], True, False, False, False),
    ("team_manager", "Team manager", ["allocated", "service"], True, False, True, False),
    ("service_manager", "Service manager", ["allocated", "service"], True, False, True, False),
    ("front_door", "Front door / MASH practitioner", ["allocated", "open_contact"], True, False,
     False, False),
    ("early_help", "Early help practitioner", ["allocated", "early_help"], False, False, False,
     False),
    ("iro", "Independent reviewing officer", ["allocated", "reviewed"], True, False, False,
     False),
    ("missing_worker", "Missing-from-home worker", ["allocated", "recently_missing"], False,
     False, False, False),
    ("personal_adviser", "Personal adviser", ["allocated", "advised"], False, False, False,
     False),
    ("qa_auditor", "Quality-assurance auditor", ["all"], False, False, False, False),
    ("performance_analyst", "Performance analyst", [], False, True, False, False),
    ("partner_referrer", "Partner-agency referrer", [], False, False, False, False),
    ("system_admin", "System administrator", [], False, False, False, True),
]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, scopes, glass, pseudo, manages, admin in ROLES:
        Role.objects.update_or_create(code=code, defaults={
            "name": name, "scopes": scopes, "may_break_glass": glass,
            "sees_pseudonymised_rows": pseudo, "manages_staff": manages,
            "administers_accounts": admin})


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, unseed)]
