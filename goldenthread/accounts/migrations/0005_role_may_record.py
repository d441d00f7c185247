"""Roles say whether they may record: the practitioners do; auditors, analysts, partner
referrers and administrators read only (or see no child at all). Every user's access summary
is recomputed, since it carries the roles' flags."""

from django.db import migrations, models

RECORDING_ROLES = ("social_worker", "team_manager", "service_manager", "front_door",
                   "early_help", "iro", "missing_worker", "personal_adviser")
FLAGS = ("may_break_glass", "may_record", "sees_pseudonymised_rows", "manages_staff",
         "administers_accounts")


def _refresh_summaries(apps):
    User = apps.get_model("accounts", "User")
    for user in User.objects.prefetch_related("roles"):
        roles = list(user.roles.all())
        access = {"scopes": sorted({scope for role in roles for scope in role.scopes}),
                  "flags": sorted({flag for role in roles for flag in FLAGS
                                   if getattr(role, flag)})}
        if access != user.access:
            User.objects.filter(pk=user.pk).update(access=access)


def forwards(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=RECORDING_ROLES).update(
        may_record=True)
    _refresh_summaries(apps)


def backwards(apps, schema_editor):
    # The field goes with the reverse of AddField; summaries lose the flag.
    Role = apps.get_model("accounts", "Role")
    Role.objects.update(may_record=False)
    _refresh_summaries(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_access_summary")]
    operations = [
        migrations.AddField(
            model_name="role", name="may_record",
            field=models.BooleanField(
                default=False,
                help_text="Records and changes children's records (the recording pages); "
                          "without it the role only reads what it may see")),
        migrations.RunPython(forwards, backwards),
    ]
