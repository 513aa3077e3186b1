"""Room for the audit trail's hash chain and for token expiry; 0005 fills it, 0006 requires it."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="seq",
            field=models.PositiveBigIntegerField(
                null=True, editable=False, verbose_name="position in the chain"
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="event",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, editable=False, verbose_name="expires at"),
        ),
    ]
