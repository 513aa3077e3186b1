from django.db import migrations, models

from coopgov.core.search_indexes import trigram_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('bodies', '0001_initial'),
        ('core', '0003_search_indexes'),
        ('dossiers', '0002_roll_call_votes'),
        ('meetings', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='action',
            index=models.Index(fields=['organisation', 'due_on'], name='dossiers_ac_organis_c06d74_idx'),
        ),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(fields=['organisation', '-year', '-sequence'], name='dossiers_de_organis_bef184_idx'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['organisation', '-created_at'], name='dossiers_do_organis_50bcdb_idx'),
        ),
        trigram_indexes(
            ("dossiers_decision_title_trgm", "dossiers_decision", "UPPER(title::text)"),
            ("dossiers_decision_text_trgm", "dossiers_decision", "UPPER(text)"),
            ("dossiers_decision_number_trgm", "dossiers_decision", "UPPER(number::text)"),
            ("dossiers_dossier_title_trgm", "dossiers_dossier", "UPPER(title::text)"),
        ),
    ]
