"""Loading many records at once: the same validation as `create_record`, without its cost.

`create_record` runs `full_clean()` and one INSERT per record; cross-record rules (overlaps)
and parents cost queries. A bulk load instead

* gives every new row its primary key up front, so children can point at parents before
  anything is written;
* runs each record's own field checks (what `clean_fields()` checks, see `_FieldCheck`) and
  `clean()` (codes for the date, each distinct check once per load, date order,
  within-parent, same person, life events, `clean_record`), with `NoOverlap` answered from
  the batch held in memory (`rules.OverlapBatch`) plus the existing rows it could clash with;
* checks unique fields and unconditional unique constraints in memory and against the
  database; conditional unique and check constraints are left to the database, which refuses
  the whole transaction if one fails;
* fills the fields save() would derive (`fill_derived_fields()`, e.g. Person's search keys);
* writes nothing unless every record passed, then inserts table by table in one transaction
  and records one audit event (BULK_LOAD, table and row count) per table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import validators
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, UniqueConstraint
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.core import rules
from goldenthread.core.models import BaseModel
from goldenthread.records import models as m

CHUNK = 900  # ids per IN (...) query: under SQLite's 999 parameters
SHOW_REFUSALS = 20


class BulkRefused(Exception):
    """Some records broke the rules; nothing was written. `refusals` says which and why."""

    def __init__(self, refusals: list[str], total: int) -> None:
        self.refusals = refusals
        self.total = total
        shown = "\n".join(refusals[:SHOW_REFUSALS])
        more = f"\n... and {total - SHOW_REFUSALS} more" if total > SHOW_REFUSALS else ""
        super().__init__(f"{total} record(s) refused; nothing was written:\n{shown}{more}")


@dataclass
class BulkResult:
    rows: dict[str, int] = field(default_factory=dict)
    refused: int = 0


Batch = Sequence[tuple[type[BaseModel], Sequence[BaseModel]]]


def _link_parents(obj: models.Model) -> None:
    """Copy each cached parent's (now known) primary key into the foreign-key column."""
    for f in obj._meta.concrete_fields:
        if f.many_to_one and f.is_cached(obj):  # type: ignore[attr-defined]
            parent = f.get_cached_value(obj)  # type: ignore[attr-defined]
            if parent is not None:  # not setattr: that would drop the cached parent
                obj.__dict__[f.attname] = parent.pk


def _allocate_keys(batch: Batch) -> dict[type[models.Model], set[Any]]:
    """Number new rows after the highest existing key; returns the new keys per model."""
    new_keys: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model, objs in batch:
        top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        for obj in objs:
            if obj.pk is None:
                top += 1
                obj.pk = top
            new_keys[model].add(obj.pk)
    for model, objs in batch:
        # _link_parents, with the model's keys found once.
        keys: list[Any] = [f for f in model._meta.concrete_fields if f.many_to_one]
        names = [(f.cache_name, f.attname) for f in keys]
        for obj in objs:
            cache, values = obj._state.fields_cache, obj.__dict__
            for cache_name, attname in names:
                parent = cache.get(cache_name)
                if parent is not None:  # not setattr: that would drop the cached parent
                    values[attname] = parent.pk
    return new_keys


def _overlap_index(batch: Batch, new_keys: dict[type[models.Model], set[Any]],
                   ) -> rules.OverlapBatch:
    """The batch's rows, plus existing rows sharing a scope with one of them."""
    covered: set[type[models.Model]] = {model for model, _ in batch if model.OVERLAP}
    index = rules.OverlapBatch(covered)
    for model, objs in batch:
        rule = model.OVERLAP
        if rule is None:
            continue
        first = model._meta.get_field(rule.scope[0])
        target = first.related_model if first.is_relation else None
        known = new_keys.get(target, set()) if isinstance(target, type) else set()
        attname = first.attname  # type: ignore[union-attr]
        for obj in objs:
            index.add(rule, obj)
        # Rows already in the database can only share a scope that is not new in this load.
        old = sorted({getattr(o, attname) for o in objs} - known - {None}, key=str)
        for start in range(0, len(old), CHUNK):
            for existing in model._default_manager.filter(**{f"{attname}__in":
                                                             old[start:start + CHUNK]}):
                index.add(rule, existing)
    return index


def _unique_refusals(model: type[BaseModel], objs: Sequence[BaseModel]) -> list[str]:
    label = str(model._meta.verbose_name)
    refusals: list[str] = []
    groups: list[tuple[str, ...]] = [(f.attname,) for f in model._meta.concrete_fields
                                     if f.unique and not f.primary_key]
    groups += [tuple(f.attname for n in c.fields for f in model._meta.concrete_fields
                     if f.name == n)
               for c in model._meta.constraints
               if isinstance(c, UniqueConstraint) and c.condition is None and c.fields]
    for names in groups:
        seen: set[tuple[Any, ...]] = set()
        for obj in objs:
            key = tuple(getattr(obj, n) for n in names)
            if None in key:  # as in SQL, NULLs never clash
                continue
            if key in seen:
                refusals.append(f"{label} {obj.pk}: {', '.join(names)} {key} appears twice in "
                                "the load; it must be unique")
            seen.add(key)
        if len(names) == 1:
            values = sorted(k[0] for k in seen if k[0] not in (None, ""))
            for start in range(0, len(values), CHUNK):
                taken = model._default_manager.filter(**{f"{names[0]}__in":
                                                         values[start:start + CHUNK]})
                refusals += [f"{label}: {names[0]} {getattr(t, names[0])!r} is already "
                             "recorded; it must be unique" for t in taken]
    return refusals


def _parent_refusals(model: type[BaseModel], objs: Sequence[BaseModel],
                     new_keys: dict[type[models.Model], set[Any]]) -> list[str]:
    """What `clean_fields()` asks of a foreign key (the row it names exists), answered from
    the batch's new keys and one query per chunk of the others."""
    label = str(model._meta.verbose_name)
    refusals = []
    for f in model._meta.concrete_fields:
        target = f.related_model
        if not f.many_to_one or not isinstance(target, type):
            continue
        known = new_keys.get(target, set())
        wanted = {getattr(o, f.attname) for o in objs} - known - {None}
        found: set[Any] = set()
        ordered = sorted(wanted, key=str)
        for start in range(0, len(ordered), CHUNK):
            found.update(target._base_manager.filter(pk__in=ordered[start:start + CHUNK])
                         .values_list("pk", flat=True))
        for obj in objs:
            value = getattr(obj, f.attname)
            if value is not None and value not in known and value not in found:
                refusals.append(f"{label} {obj.pk}: {f.name}: {target._meta.verbose_name} "
                                f"{value} does not exist")
    return refusals


# Field classes whose `to_python` returns a value of these exact types unchanged (str
# subclasses, such as TextChoices members, included for text): for such a value Django's
# `Field.clean()` only checks choices, null, blank and the validators.
_IDENTITY_TYPES: dict[Any, tuple[type, ...]] = {
    models.CharField.to_python: (str,),
    models.TextField.to_python: (str,),
    models.IntegerField.to_python: (int,),
    models.BooleanField.to_python: (bool,),
    models.DateField.to_python: (dt.date,),
    models.DateTimeField.to_python: (dt.datetime,),
}
_STRICT = (int, bool, dt.date, dt.datetime)
_AUTO_VALIDATE: Any = AutoFieldMixin.validate  # type: ignore[attr-defined]  # exact type only (bool is an int, etc.)


class _FieldCheck:
    """What `Model.clean_fields()` asks of one field, answered without Django's per-call
    machinery where that is certain to agree; anything else goes to Django's `clean()`
    (whose answer is remembered per distinct value), so refusals keep Django's words."""

    def __init__(self, f: models.Field[Any, Any]) -> None:
        self.field = f
        self.name = f.name
        self.attname = f.attname
        self.blank = f.blank
        self.empty = f.empty_values
        self.answers: dict[tuple[Any, ...], tuple[Any, list[ValidationError] | None]] = {}
        kind = type(f)
        # Auto fields' validate() accepts everything; Field.validate() accepts everything of
        # a field that is not editable: both accept what fast_ok() accepts.
        plain = kind.clean is models.Field.clean and kind.run_validators is \
            models.Field.run_validators and kind.validate in (models.Field.validate,
                                                              _AUTO_VALIDATE)
        self.cacheable = plain
        self.types = _IDENTITY_TYPES.get(kind.to_python, ()) if plain else ()
        self.choices = None if f.choices is None else frozenset(k for k, _ in f.flatchoices)
        self.max_length: int | None = None
        self.low: Any = None
        self.high: Any = None
        self.no_nul = False
        for v in f.validators:
            if type(v) is validators.MaxLengthValidator and isinstance(v.limit_value, int):
                self.max_length = v.limit_value if self.max_length is None \
                    else min(self.max_length, v.limit_value)
            elif type(v) is validators.MinValueValidator and not callable(v.limit_value) \
                    and self.low is None:
                self.low = v.limit_value
            elif type(v) is validators.MaxValueValidator and not callable(v.limit_value) \
                    and self.high is None:
                self.high = v.limit_value
            elif type(v) is validators.ProhibitNullCharactersValidator:
                self.no_nul = True
            else:
                self.types = ()  # a validator not copied here: Django checks every value

    def fast_ok(self, value: Any) -> bool:
        """True when Django's clean() is certain to accept `value` and return it unchanged."""
        types = self.types
        v: Any = value  # not narrowed by the type checks below
        if not types or value in self.empty:
            return False
        if types[0] in _STRICT:
            if type(value) is not types[0]:
                return False
        elif not isinstance(value, types):
            return False
        if self.choices is not None and v not in self.choices:
            return False
        if self.max_length is not None and len(v) > self.max_length:
            return False
        if self.low is not None and v < self.low:
            return False
        if self.high is not None and v > self.high:
            return False
        return not (self.no_nul and "\x00" in v)

    def clean(self, obj: models.Model, value: Any) -> list[ValidationError] | None:
        """Django's answer for `value`: stores the cleaned value; returns the refusals."""
        if self.cacheable:
            try:
                key = (type(value), value)
                cleaned, error = self.answers[key]
            except KeyError:
                cleaned, error = self._django(obj, value)
                self.answers[key] = (cleaned, error)
            except TypeError:  # unhashable
                cleaned, error = self._django(obj, value)
        else:
            cleaned, error = self._django(obj, value)
        if error is None and cleaned is not value:
            setattr(obj, self.attname, cleaned)
        return error

    def _django(self, obj: models.Model, value: Any) -> tuple[Any, list[ValidationError] | None]:
        try:
            return self.field.clean(value, obj), None
        except ValidationError as e:
            return None, e.error_list


def _field_checks(model: type[BaseModel]) -> tuple[list[_FieldCheck], list[Any]]:
    """The fields `clean_fields(exclude=keys)` would check, and the foreign keys."""
    keys = [f for f in model._meta.concrete_fields if f.many_to_one]
    excluded = {f.name for f in keys}
    checks = [_FieldCheck(f) for f in model._meta.fields
              if f.name not in excluded and not f.generated]
    return checks, keys


def _clean_fields(obj: BaseModel, checks: list[_FieldCheck]) -> None:
    """`obj.clean_fields()` over `checks`: the same checks, values and refusals."""
    errors: dict[str, list[ValidationError]] = {}
    values = obj.__dict__
    for check in checks:
        try:
            raw = values[check.attname]
        except KeyError:  # deferred: as Django, fetch it
            raw = getattr(obj, check.attname)
        if check.fast_ok(raw):
            continue
        if check.blank and raw in check.empty:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        error = check.clean(obj, raw)
        if error is not None:
            errors[check.name] = error
    if errors:
        raise ValidationError(errors)


def _suspects(objs: Sequence[BaseModel], checks: list[_FieldCheck]) -> set[int]:
    """Positions of the rows some field of which `fast_ok` cannot pass (or skip as blank),
    field by field over all rows: the rest need none of Django's field cleaning."""
    found: set[int] = set()
    for check in checks:
        attname, blank, empty = check.attname, check.blank, check.empty
        if not check.types:
            for n, obj in enumerate(objs):
                value = obj.__dict__.get(attname, _MISSING)
                if not (blank and value is not _MISSING and value in empty):
                    found.add(n)
            continue
        kind = check.types[0]  # fast_ok(), written out: this runs for every field of every row
        text, strict = kind is str, kind in _STRICT
        choices, longest, low, high, no_nul = (check.choices, check.max_length, check.low,
                                               check.high, check.no_nul)
        for n, obj in enumerate(objs):
            value = obj.__dict__.get(attname, _MISSING)
            if value is None or (text and value == ""):
                if not blank:
                    found.add(n)
            elif value is _MISSING \
                    or not (type(value) is kind if strict else isinstance(value, kind)) \
                    or (choices is not None and value not in choices) \
                    or (longest is not None and len(value) > longest) \
                    or (low is not None and value < low) or (high is not None and value > high) \
                    or (no_nul and "\x00" in value):
                found.add(n)
    return found


_MISSING = object()


def _record_refusals(model: type[BaseModel], objs: Sequence[BaseModel]) -> list[str]:
    label = str(model._meta.verbose_name)
    checks, keys = _field_checks(model)
    required = [(f.name, f.attname) for f in keys if not f.null]
    suspects = _suspects(objs, checks)
    refusals = []
    with rules.caching_codes():
        for n, obj in enumerate(objs):
            try:
                for name, attname in required:  # blank-ness of a key; existence: above
                    if getattr(obj, attname) is None:
                        raise ValidationError({name: ["This field cannot be null."]})
                if n in suspects:
                    _clean_fields(obj, checks)
                obj.clean()
            except ValidationError as error:
                messages = "; ".join(str(msg) for msgs in error.message_dict.values()
                                     for msg in msgs)
                refusals.append(f"{label} {obj.pk}: {messages}")
    return refusals


def _fill_derived_fields(batch: Batch) -> None:
    """What a model's save() would compute (e.g. Person's search keys): the insert below
    does not call save(), so a model with `fill_derived_fields()` has it called here."""
    for model, objs in batch:
        if callable(getattr(model, "fill_derived_fields", None)):
            for obj in objs:
                obj.fill_derived_fields()  # type: ignore[attr-defined]


def validate_batch(batch: Batch) -> list[str]:
    """Every refusal the records of the batch earn, as one line each (empty: all valid)."""
    _fill_derived_fields(batch)
    new_keys = _allocate_keys(batch)
    index = _overlap_index(batch, new_keys)
    refusals: list[str] = []
    for model, objs in batch:
        refusals += _unique_refusals(model, objs)
        refusals += _parent_refusals(model, objs, new_keys)
    with rules.checking_overlaps_in(index):
        for model, objs in batch:
            refusals += _record_refusals(model, objs)
    return refusals


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How one field's value goes to the database: None where Django's preparation is the
    identity (text, numbers, booleans, keys; dates on PostgreSQL), str() of a date on SQLite,
    an aware datetime's UTC (the connection's zone) text on SQLite, and Django's own
    `get_db_prep_save` for everything else."""
    db = transaction.get_connection()  # the connection itself, not the per-call proxy
    if isinstance(f, models.DateTimeField):
        if db.vendor == "sqlite" and settings.USE_TZ:
            zone = db.timezone

            def sqlite_datetime(value: Any) -> Any:
                if type(value) is dt.datetime and value.tzinfo is not None \
                        and value.utcoffset() is not None:
                    return str(value.astimezone(zone).replace(tzinfo=None))
                return f.get_db_prep_save(value, db)
            return sqlite_datetime
        return lambda value: f.get_db_prep_save(value, db)
    if isinstance(f, models.DecimalField | models.JSONField):
        return lambda value: f.get_db_prep_save(value, db)
    if isinstance(f, models.DateField):
        if db.vendor == "sqlite":
            return lambda value: None if value is None else value.isoformat()
        return None
    if isinstance(f, models.CharField | models.TextField | models.BooleanField
                  | models.IntegerField | models.AutoField | models.ForeignKey):
        return None
    return lambda value: f.get_db_prep_save(value, db)


def _insert(model: type[BaseModel], objs: Sequence[BaseModel], user: User,
            now: dt.datetime) -> None:
    fields = list(model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    attnames = [f.attname for f in fields]
    stamp = model._meta.get_field("created_at").get_db_prep_save(now, connection)
    fixed = {n: v for n, v in enumerate(attnames)
             if v in ("created_at", "modified_at", "created_by_id", "modified_by_id")}
    converted = [(n, c) for n, c in enumerate(_converter(f) for f in fields)
                 if c is not None and n not in fixed]
    rows = []
    user_pk = user.pk
    fixed_values = [(n, stamp if name.endswith("_at") else user_pk) for n, name in fixed.items()]
    for obj in objs:
        obj.created_at = obj.modified_at = now
        obj.created_by_id = obj.modified_by_id = user_pk
        values = obj.__dict__
        row = [values[a] for a in attnames]
        for n, convert in converted:
            row[n] = convert(row[n])
        for n, value in fixed_values:
            row[n] = value
        rows.append(row)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start:start + 20_000])
    alias = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


@transaction.atomic
def do_bulk_load(batch: Batch, *, acting_user: User, reason: str) -> BulkResult:
    """Validate every record of `batch` (parents before children), then insert them all.

    Raises BulkRefused, writing nothing, if any record breaks a rule.
    """
    refusals = validate_batch(batch)
    if refusals:
        raise BulkRefused(refusals, len(refusals))
    now = timezone.now()
    result = BulkResult()
    for model, objs in batch:
        if not objs:
            continue
        _insert(model, objs, acting_user, now)
        table = model._meta.db_table
        result.rows[table] = len(objs)
        record_event(actor=acting_user, action=AuditAction.BULK_LOAD, reason=reason,
                     detail={"table": table, "rows": len(objs)})
    # PostgreSQL's sequences must move past the keys given here.
    for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in batch]):
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return result


def _person_tables() -> list[type[BaseModel]]:
    """Models holding rows about a person, leaves before the records they hang from."""
    found = [model for model in m.__dict__.values()
             if isinstance(model, type) and issubclass(model, BaseModel)
             and not model._meta.abstract and any(f.name == "person"
                                                  for f in model._meta.concrete_fields)]
    return sorted(found, key=lambda model: -_depth(model))


def _depth(model: type[models.Model], seen: frozenset[str] = frozenset()) -> int:
    parents = [f.related_model for f in model._meta.concrete_fields
               if f.many_to_one and isinstance(f.related_model, type)
               and f.related_model is not model and f.related_model._meta.label not in seen
               and f.related_model._meta.app_label == "records"]
    return 1 + max((_depth(p, seen | {model._meta.label}) for p in parents), default=0)


@transaction.atomic
def do_remove_people(*, person_prefix: str, staff_prefix: str, team_prefix: str,
                     acting_user: User, reason: str) -> dict[str, int]:
    """Remove whole a set of generated people and workforce (by identifier prefix), in one
    transaction. Used only for synthetic data: real records are archived, never removed.

    A real record that points at one of these rows makes the database refuse the whole
    transaction, so nothing is removed by half.
    """
    q = connection.ops.quote_name
    person = m.Person._meta
    people = (f"SELECT {q('id')} FROM {q(person.db_table)} "  # noqa: S608
              f"WHERE {q('la_person_id')} LIKE %s")
    removed: dict[str, int] = {}

    def run(model: type[models.Model], where: str, params: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {q(model._meta.db_table)} WHERE {where}",  # noqa: S608
                           params)
            if cursor.rowcount:
                removed[model._meta.db_table] = removed.get(model._meta.db_table, 0) \
                    + cursor.rowcount

    assessments = (f"SELECT {q('id')} FROM {q(m.Assessment._meta.db_table)} "  # noqa: S608
                   f"WHERE {q('person_id')} IN ({people})")
    like_person = person_prefix + "%"
    run(m.AssessmentFactor, f"{q('assessment_id')} IN ({assessments})", [like_person])
    for model in _person_tables():
        run(model, f"{q('person_id')} IN ({people})", [like_person])
    run(m.Relationship, f"{q('person_id')} IN ({people}) OR {q('relative_id')} IN ({people})",
        [like_person, like_person])
    run(m.Person, f"{q('la_person_id')} LIKE %s", [like_person])
    staff = (f"SELECT {q('id')} FROM {q(m.Professional._meta.db_table)} "  # noqa: S608
             f"WHERE {q('staff_id')} LIKE %s")
    run(m.TeamMembership, f"{q('professional_id')} IN ({staff})", [staff_prefix + "%"])
    run(m.Professional, f"{q('staff_id')} LIKE %s", [staff_prefix + "%"])
    # Teams: children before parents (teams, then services, then localities).
    for kind in (m.TeamKind.TEAM, m.TeamKind.SERVICE, m.TeamKind.LOCALITY):
        run(m.Team, f"{q('code')} LIKE %s AND {q('kind')} = %s", [team_prefix + "%", kind])
    if removed:
        record_event(actor=acting_user, action=AuditAction.BULK_LOAD, reason=reason,
                     detail={"removed": removed})
    return removed
