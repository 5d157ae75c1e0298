"""The 193 Member States and the UN regional groups they sit in."""

from django.db import models

from resolutions.un.state_names import StateNameMatcher


class RegionalGroup(models.TextChoices):
    """The five UN regional groups; the value is the code used in URLs (``?group=weog``)."""

    AFRICAN = "african", "African States"
    ASIA_PACIFIC = "asia-pacific", "Asia-Pacific States"
    EASTERN_EUROPEAN = "eastern-european", "Eastern European States"
    LATIN_AMERICAN_CARIBBEAN = "latin-american-caribbean", "Latin American and Caribbean States"
    WEOG = "weog", "Western European and other States"


# The groups as delegates name them in the room: "supported by 12: WEOG 7, EEG 3, GRULAC 2".
REGIONAL_GROUP_SHORT_NAMES = {
    RegionalGroup.AFRICAN: "African Group",
    RegionalGroup.ASIA_PACIFIC: "Asia-Pacific Group",
    RegionalGroup.EASTERN_EUROPEAN: "EEG",
    RegionalGroup.LATIN_AMERICAN_CARIBBEAN: "GRULAC",
    RegionalGroup.WEOG: "WEOG",
}


class MemberStateQuerySet(models.QuerySet):
    def name_matcher(self) -> StateNameMatcher:
        """A matcher for names as delegates and documents write them, keyed by ISO3 code."""
        return StateNameMatcher(self.values_list("iso3", "name", "aliases"))


class MemberStateManager(models.Manager.from_queryset(MemberStateQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class MemberState(models.Model):
    name = models.CharField(
        max_length=100, unique=True, help_text="The name as UN documents write it today."
    )
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    m49 = models.CharField("M49 code", max_length=3, unique=True)
    m49_region = models.CharField("M49 region", max_length=50)
    m49_subregion = models.CharField("M49 sub-region", max_length=50)
    m49_intermediate_region = models.CharField("M49 intermediate region", max_length=50, blank=True)
    regional_group = models.CharField(
        max_length=30,
        choices=RegionalGroup.choices,
        help_text="The UN regional group; for the United States, the group it counts in.",
    )
    group_observer = models.BooleanField(
        default=False,
        help_text="Attends the group as an observer rather than a member (the United States "
        "in WEOG), and counts there for elections.",
    )
    un_member_since = models.PositiveSmallIntegerField(null=True, blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Short, older and ISO-style names, e.g. Turkey for Türkiye.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = MemberStateManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]
