
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_search_indexes'),
        ('offers', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['organisation', 'name'], name='offers_acti_organis_18aab9_idx'),
        ),
    ]
