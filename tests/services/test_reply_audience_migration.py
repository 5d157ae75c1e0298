"""The migration that gives each existing reply the audience it was written for: until it,
a reply's visibility followed every change of its thread's, and a reply's edit form could
set it to anything (shown, never applied)."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from resolutions.models import Annotation, AnnotationRevision, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation

migration = importlib.import_module("resolutions.migrations.0006_audiences")


def test_each_reply_gets_the_audience_its_thread_had_when_it_was_written(lars, ingrid, amina):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    start = timezone.now() - datetime.timedelta(days=3)

    def at(days: int) -> datetime.datetime:
        return start + datetime.timedelta(days=days)

    thread = make_annotation(lars, op6, "For Norway, then everyone", visibility="public")
    early = make_annotation(ingrid, op6, "Written for Norway", reply_to=thread)
    own = make_annotation(lars, op6, "The author's own", reply_to=thread)
    late = make_annotation(amina, op6, "Written for everyone", reply_to=thread)
    # The thread was for Norway until day 2, when its author made it public.
    AnnotationRevision.objects.create(
        annotation=thread, version=1, body="For Norway", visibility="delegation", edited_by=lars
    )
    AnnotationRevision.objects.filter(annotation=thread).update(created_at=at(2))
    Annotation.objects.filter(pk=thread.pk).update(version=2, created_at=at(0))
    for reply, day in ((early, 1), (own, 1), (late, 3)):
        # As the old code left them: in step with the thread, or set by the reply's form.
        Annotation.objects.filter(pk=reply.pk).update(created_at=at(day), visibility="private")
    other = make_annotation(lars, op6, "Never edited", visibility="delegation")
    untouched = make_annotation(ingrid, op6, "In step", reply_to=other)

    migration.replies_keep_the_audience_they_were_written_for(apps, None)

    stored = dict(Annotation.objects.values_list("body", "visibility"))
    assert stored["Written for Norway"] == "delegation"
    assert stored["The author's own"] == "public"  # the author's own follow the thread
    assert stored["Written for everyone"] == "public"
    assert stored[untouched.body] == "delegation"
    assert stored[thread.body] == "public"
