"""Rules with a limit, kept under concurrency: row locks for the checks, constraints as the last
word, and a constraint's refusal turned back into the rule's message.

An action that enforces a limit (seats of a body, proxies a person holds) reads the current
state, decides, then writes. Two requests doing that at once both read the state before either
writes, and both pass. So the action locks a row that every writer of that limit locks too,
then checks, inside one transaction (DESIGN §6). Where the database can state the rule itself
(unique, check, exclusion), a constraint backs the lock; when it refuses, the person gets the
rule's message as a ValidationError (the form shows it, the API answers 422), never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction


def locked[M: models.Model](queryset: models.QuerySet[M]) -> list[M]:
    """The rows of `queryset`, read again and locked until the transaction ends.

    PostgreSQL: SELECT … FOR UPDATE, in primary-key order so that two actions locking the same
    rows never wait for each other in a cycle. SQLite has no row locks (select_for_update does
    nothing there), but the settings open every transaction with BEGIN IMMEDIATE
    (transaction_mode), which takes the database's write lock: a check made inside
    transaction.atomic() already runs alone among writers.
    """
    if not transaction.get_connection(queryset.db).in_atomic_block:
        raise transaction.TransactionManagementError("Lock rows inside transaction.atomic().")
    return list(queryset.select_for_update().order_by("pk"))


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL, and nothing on other databases.

    SQLite cannot state it; there the action's check, serialised by the write lock, keeps the
    rule alone. The model's state is the same everywhere, so migrations do not depend on the
    database.
    """

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


# PostgreSQL: 'Key (giver_id)=(12) already exists.'
KEY_DETAIL = re.compile(r"Key \(([^()]*)\)=")


def violated(error: IntegrityError) -> tuple[str, frozenset[str]]:
    """What the database says the error violates: the constraint's name when it gives one, and
    the columns ("table.column") of a unique constraint."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        columns = KEY_DETAIL.match(diag.message_detail or "")
        if diag.sqlstate != "23505" or columns is None:
            return diag.constraint_name or "", frozenset()
        names = (column.strip() for column in columns.group(1).split(","))
        return diag.constraint_name or "", frozenset(f"{diag.table_name}.{c}" for c in names)
    # SQLite: "UNIQUE constraint failed: meetings_proxy.giver_id" or
    # "CHECK constraint failed: proxy_not_to_oneself".
    kind, _sep, rest = str(error).partition(" constraint failed: ")
    if kind == "UNIQUE":
        return "", frozenset(part.strip() for part in rest.split(","))
    return rest.strip(), frozenset()


def rule_message(
    error: IntegrityError, models_: Iterable[type[models.Model]], messages: Mapping[str, str]
) -> str | None:
    """The message of the rule the error breaks, or None when it is none of these rules.

    A constraint of `models_` speaks through its violation_error_message; `messages` adds or
    overrides messages by constraint name or by the name of a unique field (unique=True, a
    OneToOneField), which carries no message of its own.
    """
    name, columns = violated(error)
    for model in models_:
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            if field.name in messages and columns == {f"{table}.{field.column}"}:
                return messages[field.name]
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            spans = bool(fields) and columns == {
                f"{table}.{model._meta.get_field(field).column}"  # type: ignore[union-attr]
                for field in fields
            }
            if constraint.name != name and not spans:
                continue
            if constraint.name in messages:
                return messages[constraint.name]
            message = constraint.violation_error_message
            if message and message != constraint.default_violation_error_message:
                return str(constraint.get_violation_error_message())
    return None


@contextmanager
def refusing_violations(
    *models_: type[models.Model], messages: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Write in a savepoint; a constraint of `models_` that refuses the write becomes the
    rule's ValidationError. The savepoint matters on PostgreSQL: after an error the rest of the
    transaction is unusable until it is rolled back to a savepoint."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        message = rule_message(error, models_, messages or {})
        if message is None:
            raise
        raise ValidationError(message) from error
