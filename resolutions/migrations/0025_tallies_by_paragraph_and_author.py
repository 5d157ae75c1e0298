"""The tallies indexed by paragraph and author as well: every write looks its note's tally
up by those and the rest of what decides who reads it. The pages read a paragraph's
tallies whole through the paragraph's own index, which stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0024_note_list_tallies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notelisttally",
            index=models.Index(fields=["paragraph", "author"], name="notelisttally_para_author"),
        ),
        migrations.AddIndex(
            model_name="notetally",
            index=models.Index(fields=["paragraph", "author"], name="notetally_para_author"),
        ),
    ]
