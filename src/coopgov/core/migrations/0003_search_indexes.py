from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from coopgov.core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("core", "0002_event_append_only")]

    operations = [
        TrigramExtension(),
        trigram_indexes(
            ("core_person_first_name_trgm", "core_person", "UPPER(first_name::text)"),
            ("core_person_last_name_trgm", "core_person", "UPPER(last_name::text)"),
            ("core_person_email_trgm", "core_person", "UPPER(email::text)"),
            ("core_member_legal_name_trgm", "core_member", "UPPER(legal_name::text)"),
        ),
    ]
