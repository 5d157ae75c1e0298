"""Each request reads its delegate with whether they are an editor, in one query
(``resolutions.backends.DelegateBackend``), and what it reads is what the database says
now: an editor named or removed, a delegate deactivated or whose password changed, is so
on their very next page."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import User
from tests.factories import make_delegate

IMPORT_LINK = f'href="{reverse("resolutions:document_import")}">Import</a>'


def test_the_menu_asks_no_query_of_its_own_whether_its_reader_is_an_editor(client, db):
    editor = make_delegate("ed", "Norway", editor=True)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("resolutions:agenda_item_list")).content.decode()
    assert IMPORT_LINK in page
    # The only query that reads the editor group reads the user too.
    (group_read,) = [q["sql"] for q in queries if '"auth_group"' in q["sql"]]
    assert '"resolutions_user"."password"' in group_read


def test_an_editor_named_or_removed_is_one_on_the_very_next_page(client, db):
    lars = make_delegate("lars", "Norway")
    client.force_login(lars)
    home = reverse("resolutions:home")
    assert IMPORT_LINK not in client.get(home).content.decode()
    editors = Group.objects.get_or_create(name=User.EDITOR_GROUP)[0]
    lars.groups.add(editors)
    assert IMPORT_LINK in client.get(home).content.decode()
    lars.groups.remove(editors)
    assert IMPORT_LINK not in client.get(home).content.decode()
    User.objects.filter(pk=lars.pk).update(is_superuser=True)
    assert IMPORT_LINK in client.get(home).content.decode()


def test_a_deactivated_delegate_or_one_whose_password_changed_is_logged_out(client, db):
    lars = make_delegate("lars", "Norway")
    client.force_login(lars)
    account = reverse("resolutions:account")
    assert client.get(account).status_code == 200
    User.objects.filter(pk=lars.pk).update(is_active=False)
    assert client.get(account).status_code == 302
    User.objects.filter(pk=lars.pk).update(is_active=True)
    client.force_login(lars)
    assert client.get(account).status_code == 200
    lars.set_password("another-long-password-76")
    lars.save()
    assert client.get(account).status_code == 302
