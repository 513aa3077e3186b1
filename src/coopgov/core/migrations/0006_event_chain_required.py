"""Every event has its place in a chain, every token an expiry; one event per position."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_chain_existing_events")]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, verbose_name="position in the chain"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="event",
            name="hash",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(editable=False, verbose_name="expires at"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                fields=("organisation", "seq"), name="event_one_per_position_in_chain"
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation__isnull", True)),
                fields=("seq",),
                name="event_one_per_position_without_organisation",
            ),
        ),
    ]
