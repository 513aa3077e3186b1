"""One mandate per holder and body at a time, stated by the database on PostgreSQL.

An exclusion constraint over date ranges, btree_gist letting it compare the body and the holder
with "=". On SQLite the constraints are in the models' state only: appoint() checks the same rule
while it holds the database's write lock. Mandates that already overlap make this migration fail
on PostgreSQL (the error names the two rows): end or remove one of them first.
"""

import django.contrib.postgres.fields.ranges
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import coopgov.bodies.models
import coopgov.core.integrity


class Migration(migrations.Migration):
    dependencies = [("bodies", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.AddConstraint(
            model_name="mandate",
            constraint=coopgov.core.integrity.PostgresExclusionConstraint(
                condition=models.Q(("legal_member__isnull", True)),
                expressions=[
                    ("body", "="),
                    ("person", "="),
                    (
                        coopgov.bodies.models.DateSpan(
                            "start", "end", django.contrib.postgres.fields.ranges.RangeBoundary()
                        ),
                        "&&",
                    ),
                ],
                name="mandate_one_at_a_time_per_person",
                violation_error_message="One mandate at a time: this person already holds a mandate on this body during that period.",
            ),
        ),
        migrations.AddConstraint(
            model_name="mandate",
            constraint=coopgov.core.integrity.PostgresExclusionConstraint(
                condition=models.Q(("legal_member__isnull", False)),
                expressions=[
                    ("body", "="),
                    ("legal_member", "="),
                    (
                        coopgov.bodies.models.DateSpan(
                            "start", "end", django.contrib.postgres.fields.ranges.RangeBoundary()
                        ),
                        "&&",
                    ),
                ],
                name="mandate_one_at_a_time_per_legal_person",
                violation_error_message="One mandate at a time: this legal person already holds a mandate on this body during that period.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="body",
            name="body_code_unique",
            constraint=models.UniqueConstraint(
                fields=("organisation", "code"),
                name="body_code_unique",
                violation_error_message="Another body of this organisation has this code.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="bodyrelation",
            name="body_relation_unique",
            constraint=models.UniqueConstraint(
                fields=("source", "kind", "target"),
                name="body_relation_unique",
                violation_error_message="This relation is already recorded.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="representativechange",
            name="representative_once_a_day",
            constraint=models.UniqueConstraint(
                fields=("mandate", "since"),
                name="representative_once_a_day",
                violation_error_message="A later change of representative is already recorded.",
            ),
        ),
    ]
