"""Tallies of no notes removed: a reply deleted once left its tally at 0, which gave its
paragraph a count of none and opened its margin (``NoteTallyQuerySet.add`` now removes a
tally it brings to 0)."""

from django.db import migrations


def remove_empty_tallies(apps, schema_editor):
    tallies = apps.get_model("resolutions", "NoteTally")
    tallies.objects.using(schema_editor.connection.alias).filter(notes=0).delete()


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0022_note_tallies")]

    operations = [migrations.RunPython(remove_empty_tallies, migrations.RunPython.noop)]
