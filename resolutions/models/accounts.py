"""Delegates and the delegations they work for."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from resolutions.models.states import MemberState


class DelegationManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Delegation(models.Model):
    """A Member State's mission (or a ministry desk): the people who share notes."""

    name = models.CharField(max_length=150, unique=True)
    state = models.OneToOneField(
        MemberState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation",
        help_text="The Member State the delegation represents, when it is one.",
    )

    objects = DelegationManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class User(AbstractUser):
    """A delegate: a Django user who belongs to one delegation."""

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Notes shared 'with my delegation' reach every member of this delegation.",
    )

    EDITOR_GROUP = "editor"

    @cached_property
    def is_editor(self) -> bool:
        """Editors may change shared data: documents, sponsor lists and milestones. Asked on
        every page (the menu), so it is worked out once per request: at most one query. A
        request's delegate comes with it already, read in the same query as the delegate
        (``resolutions.backends.DelegateBackend``)."""
        return self.is_superuser or self.groups.filter(name=self.EDITOR_GROUP).exists()
