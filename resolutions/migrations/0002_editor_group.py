"""The `editor` group: its members may change shared data (documents, sponsor lists,
milestones). Everyone else changes only their own and their delegation's data."""

from django.db import migrations


def create_editor_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="editor")


def remove_editor_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("resolutions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
