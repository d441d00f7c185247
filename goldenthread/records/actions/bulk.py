"""Loading many records at once: the same validation as `create_record`, without its cost.

`create_record` runs `full_clean()` and one INSERT per record; cross-record rules (overlaps)
and parents cost queries. A bulk load instead

* gives every new row its primary key up front, so children can point at parents before
  anything is written;
* runs each record's own field checks (what `clean_fields()` checks, see
  `core.field_checks`) and `clean()` (codes for the date, date order, within-parent, same
  person, life events, `clean_record`), with `NoOverlap` answered from the batch held in
  memory (`rules.OverlapBatch`) plus the existing rows it could clash with. Field checks and
  the declared rules are answered column by column (`core.rules_batch`); a row they cannot
  vouch for goes through Django's and the model's own checks, which decide and word the
  refusal, and every row still runs its NoOverlap check and `clean_record()`;
* checks unique fields and unconditional unique constraints in memory and against the
  database; conditional unique and check constraints are left to the database, which refuses
  the whole transaction if one fails;
* fills the fields save() would derive (`fill_derived_fields()`, e.g. Person's search keys);
* writes nothing unless every record passed, then inserts table by table in one transaction
  (prepared column by column, `executemany` in chunks; on SQLite with a bigger page cache
  for the load, and a large empty table's plain indexes built after its rows) and records
  one audit event (BULK_LOAD, table and row count) per table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max, UniqueConstraint
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.core import rules, rules_batch
from goldenthread.core.field_checks import Columns, clean_fields, field_checks, field_suspects
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


def _plain_pk(model: type[models.Model]) -> str | None:
    """The primary key's attribute when `obj.pk` is just that entry of the instance's
    __dict__ (no multi-table parents, a plain field): None otherwise."""
    meta = model._meta
    pk = meta.pk
    if meta.parents or pk is None or not pk.concrete \
            or type(inspect.getattr_static(model, pk.attname, None)) is not DeferredAttribute:
        return None
    return pk.attname


_INSTANCE_DICT = operator.attrgetter("__dict__")


Keys = set[Any] | range  # a model's new keys: a range when they run on without a gap


def _allocate_keys(batch: Batch) -> dict[type[models.Model], Keys]:
    """Number new rows after the highest existing key; returns the new keys per model."""
    new_keys: dict[type[models.Model], Keys] = {}
    for model, objs in batch:
        top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        keys = _number(model, objs, top)
        if model in new_keys:  # the model twice in one batch
            keys = set(keys) | set(new_keys[model])
        new_keys[model] = keys
    for model, objs in batch:
        # _link_parents, with the model's keys found once, through each row's (few) held
        # parents rather than all its keys.
        fks: list[Any] = [f for f in model._meta.concrete_fields if f.many_to_one]
        names = {f.cache_name: (f.attname, _plain_pk(f.related_model)) for f in fks}
        for obj in objs:
            cache = obj._state.fields_cache
            if not cache:
                continue
            values = obj.__dict__
            for cache_name, parent in cache.items():
                link = names.get(cache_name)
                if link is not None and parent is not None:  # not setattr: that would
                    attname, parent_pk = link                 # drop the held parent
                    values[attname] = parent.pk if parent_pk is None \
                        else parent.__dict__.get(parent_pk)
    return new_keys


def _number(model: type[models.Model], objs: Sequence[models.Model], top: int) -> Keys:
    """Give each row without a key the next after `top`; returns the rows' keys."""
    attname = _plain_pk(model)
    if attname is None:
        keys: set[Any] = set()
        for obj in objs:
            if obj.pk is None:
                top += 1
                obj.pk = top
            keys.add(obj.pk)
        return keys
    dicts = list(map(_INSTANCE_DICT, objs))
    for values in dicts:
        if values.get(attname) is None:  # obj.pk = top, written out
            top += 1
            values[attname] = top
    ids = list(map(operator.itemgetter(attname), dicts))
    run = range(ids[0], ids[0] + len(ids)) if ids and type(ids[0]) is int else None
    if run is not None and all(map(operator.eq, ids, run)):
        return run  # holds the same numbers as the set would, in less room
    return set(ids)


def _unknown(values: set[Any], known: Keys) -> set[Any]:
    """`values - known - {None}`, for a set or a range of known keys."""
    if isinstance(known, range):
        return {v for v in values if v is not None and v not in known}
    return values - known - {None}


def _overlap_index(batch: Batch, new_keys: dict[type[models.Model], Keys],
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
        known: Keys = new_keys.get(target, set()) if isinstance(target, type) else set()
        attname = first.attname  # type: ignore[union-attr]
        for obj in objs:
            index.add(rule, obj)
        # Rows already in the database can only share a scope that is not new in this load.
        old = sorted(_unknown({getattr(o, attname) for o in objs}, known), key=str)
        for start in range(0, len(old), CHUNK):
            for existing in model._default_manager.filter(**{f"{attname}__in":
                                                             old[start:start + CHUNK]}):
                index.add(rule, existing)
    return index


def _unique_refusals(columns: Columns) -> list[str]:
    model, objs = columns.model, columns.objs
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
        keys = zip(*[columns(n) for n in names], strict=True)
        for obj, key in zip(objs, keys, strict=True):
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


def _parent_refusals(columns: Columns, new_keys: dict[type[models.Model], Keys],
                     ) -> list[str]:
    """What `clean_fields()` asks of a foreign key (the row it names exists), answered from
    the batch's new keys and one query per chunk of the others."""
    model, objs = columns.model, columns.objs
    label = str(model._meta.verbose_name)
    refusals = []
    for f in model._meta.concrete_fields:
        target = f.related_model
        if not f.many_to_one or not isinstance(target, type):
            continue
        known = new_keys.get(target, set())
        ids = columns(f.attname)
        wanted = _unknown(set(ids), known)
        found: set[Any] = set()
        ordered = sorted(wanted, key=str)
        for start in range(0, len(ordered), CHUNK):
            found.update(target._base_manager.filter(pk__in=ordered[start:start + CHUNK])
                         .values_list("pk", flat=True))
        if not wanted - found:
            continue  # every key names a row of the batch or of the database
        for obj, value in zip(objs, ids, strict=True):
            if value is not None and value not in known and value not in found:
                refusals.append(f"{label} {obj.pk}: {f.name}: {target._meta.verbose_name} "
                                f"{value} does not exist")
    return refusals


def _record_refusals(columns: Columns, index: rules.OverlapBatch) -> list[str]:
    model: type[BaseModel] = columns.model  # type: ignore[assignment]
    objs: Sequence[BaseModel] = columns.objs  # type: ignore[assignment]
    label = str(model._meta.verbose_name)
    overlap = model.OVERLAP
    checks, keys = field_checks(model)
    # Blank-ness of a required key (existence: _parent_refusals): the first blank one.
    blank_key: dict[int, str] = {}
    for f in keys:
        if not f.null:
            for n, value in enumerate(columns(f.attname)):
                if value is None:
                    blank_key.setdefault(n, f.name)
    suspects = field_suspects(columns, checks)
    refusals = []
    with rules.caching_codes():
        # A row the declared rules vouch for (rules_batch) needs only the rest of clean():
        # its NoOverlap check and clean_record(). Any other row, and a row refused there,
        # goes through clean() itself, which decides and words the refusal.
        declared = rules_batch.declared_suspects(columns) if _vouchable(model) else None
        for n, obj in enumerate(objs):
            try:
                if n in blank_key:
                    raise ValidationError({blank_key[n]: ["This field cannot be null."]})
                if n in suspects:
                    clean_fields(obj, checks)
                if declared is None or n in declared or n in suspects \
                        or (overlap is not None and overlap.check(obj)) or obj.clean_record():
                    obj.clean()
            except ValidationError as error:
                messages = "; ".join(str(msg) for msgs in error.message_dict.values()
                                     for msg in msgs)
                refusals.append(f"{label} {obj.pk}: {messages}")
            finally:
                if overlap is not None:
                    index.touched(obj)
    return refusals


def _vouchable(model: type[BaseModel]) -> bool:
    """Whether clean() is BaseModel's own (declared rules, overlap, clean_record) and no
    key points at the model itself (a parent row's cleaning, later in the same loop, could
    change what the batch read of it)."""
    return model.clean is BaseModel.clean and not any(
        f.many_to_one and f.related_model is model for f in model._meta.concrete_fields)


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
    before: list[str] = []  # unique values and parents, then each record's own rules
    refusals: list[str] = []
    with rules.checking_overlaps_in(index):
        for model, objs in batch:
            columns = Columns(model, objs)  # one model's values at a time, not all at once
            before += _unique_refusals(columns)
            before += _parent_refusals(columns, new_keys)
            refusals += _record_refusals(columns, index)
    return before + refusals


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
                if value is None:  # as get_db_prep_save answers it
                    return None
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
    fields: list[Any] = list(model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    stamp = model._meta.get_field("created_at").get_db_prep_save(now, connection)
    user_pk = user.pk
    # Who and when: set on each instance (as save() would) and written as prepared once.
    stamps = {"created_at": now, "modified_at": now, "created_by_id": user_pk,
              "modified_by_id": user_pk}
    held = {f.cache_name for f in fields if f.attname in stamps and f.many_to_one}
    for obj in objs:
        if held.isdisjoint(obj._state.fields_cache):
            obj.__dict__.update(stamps)  # what the four assignments store
        else:  # a held user: the key descriptor decides whether to drop it
            obj.created_at = obj.modified_at = now
            obj.created_by_id = obj.modified_by_id = user_pk
    # Column by column: each value as `_converter` prepares it.
    dicts = [obj.__dict__ for obj in objs]
    values: list[Any] = []
    for f in fields:
        if f.attname in stamps:
            values.append(itertools.repeat(stamp if f.attname.endswith("_at") else user_pk))
            continue
        column = map(operator.itemgetter(f.attname), dicts)
        convert = _converter(f)
        values.append(column if convert is None else map(convert, column))
    rows = zip(*values, strict=False)  # the stamps repeat; the columns end together
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream, not a statement a row
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            while chunk := list(itertools.islice(rows, 20_000)):  # a chunk at a time
                cursor.executemany(sql, chunk)
    alias = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


LOAD_CACHE_KIB = 65_536  # SQLite's page cache while loading (its default is 2 MiB)


@contextlib.contextmanager
def _sqlite_cache_for_load() -> Iterator[None]:
    """A bigger SQLite page cache for the load only, so the indexes of a million new rows
    are not written out and read back page by page (journal_mode and synchronous cannot
    change inside the transaction a load runs in, so they are left alone)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-LOAD_CACHE_KIB}")
    try:
        yield
    finally:  # (after a failed insert the transaction may refuse it: the cache can stay)
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


INDEX_LATER_FROM = 10_000  # rows into an empty SQLite table: its indexes are built after


@contextlib.contextmanager
def _sqlite_indexes_after(model: type[models.Model], rows: int) -> Iterator[None]:
    """On SQLite, an empty table taking many rows gets its plain (non-unique) indexes built
    once after the insert, from sorted rows, rather than grown a row at a time: the same
    indexes, made by their own CREATE INDEX, in the load's transaction, so a failure
    anywhere rolls the drop back with everything else. Unique indexes stay in place."""
    if connection.vendor != "sqlite" or rows < INDEX_LATER_FROM or any(
            f.many_to_one and f.related_model is model for f in model._meta.concrete_fields):
        yield  # (a key to its own table: a row's parent later in the load costs a scan)
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
        if cursor.fetchone() is not None:
            indexes: list[tuple[str, str]] = []  # rows already there: leave it alone
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = %s AND sql IS NOT NULL", [table])
            indexes = [(name, sql) for name, sql in cursor.fetchall()
                       if sql.upper().startswith("CREATE INDEX ")]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield  # (a failure leaves them dropped: the transaction is then rolled back whole)
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)


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
    with _sqlite_cache_for_load():
        for model, objs in batch:
            if not objs:
                continue
            with _sqlite_indexes_after(model, len(objs)):
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
