"""Forms, with messages written for a delegate."""

import secrets

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.validators import RegexValidator
from django.utils.safestring import SafeString

from resolutions.models import (
    TOLD_OF,
    Annotation,
    Circle,
    Delegation,
    Delivery,
    Document,
    FollowUpAction,
    Milestone,
    NoteState,
    Notification,
    Paragraph,
    Proposal,
    Sponsorship,
    User,
)
from resolutions.pages.sponsors import all_states, matcher_for
from resolutions.rendering import select_options_html
from resolutions.search import Search, read_search
from resolutions.services import importing, revising
from resolutions.services.circles import MAX_NAME as MAX_CIRCLE_NAME
from resolutions.services.circles import circle_name_refusal
from resolutions.services.proposals import ACTIONS, ProposalRefused
from resolutions.services.sponsors import label_taken
from resolutions.un.anchoring import CONTEXT, QuoteSelector, anchor, locate
from resolutions.un.dates import date_refusal
from resolutions.un.state_names import PastedListError, match_pasted_list
from resolutions.un.symbols import normalise_space

MAX_BODY = 10_000
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_QUOTE = 2_000
MAX_SUBMISSION_KEY = 64


def new_submission_key() -> str:
    """A random key for one form as shown: sent twice (a double click, a request the
    browser retries), it saves once. Every form shown gets a new one, so that two notes typed
    into two copies of a page are two notes."""
    return secrets.token_urlsafe(16)


def _submission_key_field() -> forms.CharField:
    # Optional: a form sent without one (a script, an older page) saves every time it is sent.
    return forms.CharField(
        required=False,
        max_length=MAX_SUBMISSION_KEY,
        widget=forms.HiddenInput,
        initial=new_submission_key,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]*$",
                "This form is out of date: reload the page and send it again.",
            )
        ],
        error_messages={
            "max_length": "This form is out of date: reload the page and send it again."
        },
    )


def _within_workbench_years(what: str):
    """A validator that refuses a date outside the years the workbench keeps (1945 to 2200:
    9999-12-31 breaks every calendar feed that holds it), naming the field: ``what`` is "the
    due date"."""

    def validate(day) -> None:
        refusal = date_refusal(day, what)
        if refusal:
            raise forms.ValidationError(refusal, code="out_of_range")

    return validate


class AnnotationForm(forms.Form):
    """A new note on a paragraph. ``paragraph`` is needed to check a quoted passage;
    ``circles`` are the circles the author's delegation is in, offered for "My circle"
    (without any, that choice is not offered)."""

    body = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_BODY,
        error_messages={
            "required": "Write something in the note before saving it.",
            "max_length": "A note can be at most 10,000 characters (this one has "
            "%(show_value)d). Split it into several notes.",
        },
    )
    quote = forms.CharField(
        label="Quoted words (optional)",
        required=False,
        max_length=MAX_QUOTE,
        help_text="Copy the words of the paragraph your note is about.",
        error_messages={"max_length": "Quote at most 2,000 characters of the paragraph."},
    )
    quote_start = forms.IntegerField(
        required=False,
        min_value=0,
        widget=forms.HiddenInput,
        help_text="Where the selected words start in the paragraph: of several places with "
        "the same words, the quote is the one selected.",
    )
    # The words around a selection, sent by the browser with it (TextQuoteSelector prefix
    # and suffix): they find the words selected among several alike when the position is
    # not known. Read in clean(), and not passed on: the service keeps the paragraph's own.
    quote_prefix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    quote_suffix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=MAX_TAGS * (MAX_TAG_LENGTH + 2),
        help_text="Separate tags with commas, e.g. red line, capital to confirm.",
        error_messages={"max_length": "Use at most 20 tags of up to 50 characters each."},
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=Annotation.Visibility.choices,
        initial=Annotation.Visibility.DELEGATION,
        error_messages={
            "invalid_choice": "Choose who can see the note: only you, your delegation, "
            "or everyone logged in.",
            "required": "Choose who can see the note.",
        },
    )
    circle = forms.TypedChoiceField(
        label="Which circle",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The circle whose delegations see the note, when it is for “My circle”.",
        error_messages={
            "invalid_choice": "Your delegation is not in that circle (it may have left it): "
            "choose one of your circles, or another audience.",
        },
    )
    submission_key = _submission_key_field()

    def __init__(
        self, *args, paragraph=None, circles=(), left_circle: Circle | None = None, **kwargs
    ):
        self.paragraph = paragraph
        self.circles = {circle.pk: circle for circle in circles}
        self.left_circle = left_circle
        super().__init__(*args, **kwargs)
        choices = [(pk, circle.name) for pk, circle in self.circles.items()]
        if left_circle is not None:
            # Shown, so that the note's circle is not silently swapped for another; refused
            # in clean() if chosen.
            choices.append((left_circle.pk, f"{left_circle.name} (your delegation left it)"))
        self.fields["circle"].choices = choices
        visibility = self.fields["visibility"]
        if choices:
            visibility.error_messages["invalid_choice"] = (
                "Choose who can see the note: only you, your delegation, your circle, or "
                "everyone logged in."
            )
        else:
            visibility.choices = audiences_without_circle()
            visibility.error_messages["invalid_choice"] = (
                "Choose who can see the note: only you, your delegation, or everyone logged "
                "in. Your delegation is in no circle to share it with."
            )

    @property
    def selector_fields(self):
        """Where the quoted words stand, as the browser found them: hidden fields filled by
        selecting the words in the text."""
        return [self["quote_prefix"], self["quote_suffix"], self["quote_start"]]

    def clean(self):
        cleaned = super().clean()
        self._place_quote(cleaned)
        chosen = cleaned.get("circle")
        if cleaned.get("visibility") != Annotation.Visibility.CIRCLE:
            cleaned["circle"] = None
        elif chosen in self.circles:
            cleaned["circle"] = self.circles[chosen]
        elif chosen is not None and self.left_circle is not None:
            self.add_error(
                "circle",
                f"Your delegation has left {self.left_circle.name}: choose one of your "
                "circles, or another audience.",
            )
        elif "circle" not in self.errors:
            self.add_error("circle", "Choose which of your circles can see the note.")
        return cleaned

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something in the note before saving it.")
        return body

    def clean_tags(self) -> list[str]:
        tags: list[str] = []
        seen: set[str] = set()
        for raw in self.cleaned_data["tags"].split(","):
            tag = normalise_space(raw)
            if not tag or tag.casefold() in seen:
                continue
            if len(tag) > MAX_TAG_LENGTH:
                raise forms.ValidationError(
                    f"A tag can be at most {MAX_TAG_LENGTH} characters; "
                    f"“{tag[:20]}…” is {len(tag)}."
                )
            seen.add(tag.casefold())
            tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                f"Use at most {MAX_TAGS} tags on one note (this one has {len(tags)})."
            )
        return tags

    def _place_quote(self, cleaned: dict) -> None:
        """Turn the words around a selection into where it starts, when the browser sent
        them without it; without either, the service takes the first place the words are."""
        prefix = cleaned.pop("quote_prefix", "")[-CONTEXT:]
        suffix = cleaned.pop("quote_suffix", "")[:CONTEXT]
        quote = cleaned.get("quote")
        if not quote or self.paragraph is None:
            cleaned["quote_start"] = None
        elif cleaned.get("quote_start") is None and (prefix or suffix):
            span = anchor(QuoteSelector(quote, prefix, suffix), self.paragraph.text)
            cleaned["quote_start"] = span[0] if span else None

    def clean_quote(self) -> str:
        quote = normalise_space(self.cleaned_data["quote"])
        # Read as the comparison reads text: straight quotation marks or a plain hyphen
        # typed for the printed ones are the same words.
        if quote and self.paragraph and locate(quote, self.paragraph.text) is None:
            raise forms.ValidationError(
                f"These words are not in {self.paragraph.display_label}; copy them from "
                "the paragraph, or leave the quote empty."
            )
        return quote

    @property
    def circle_options(self) -> SafeString:
        """The options of the circle select, the one chosen marked."""
        return select_options_html(self.fields["circle"].choices, self["circle"].value())


def audiences_without_circle() -> list[tuple[str, str]]:
    """Every audience but "My circle": what a delegation in no circle may choose."""
    return [
        (value, label)
        for value, label in Annotation.Visibility.choices
        if value != Annotation.Visibility.CIRCLE
    ]


class AnnotationEditForm(AnnotationForm):
    """An edit of ``annotation`` by its author. A reply has no choice of audience: it keeps
    the one it was written for. A note that opens a thread may be widened, and its author
    chooses whether its earlier versions go to the new audience too."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    show_earlier_versions = forms.BooleanField(
        label="Also show the earlier versions to the new audience",
        required=False,
        help_text="Only if you widen who can see the note. Left unticked, the new audience "
        "sees the note as it is now, and each earlier version (with its tags) stays with "
        "the audience it was written for; they are told only how many there are.",
    )

    def __init__(self, *args, annotation: Annotation, circles=(), **kwargs):
        circles = list(circles)
        left_circle = None
        # A note for a circle the delegation has left keeps it on offer (see clean()).
        member_of = {circle.pk for circle in circles}
        in_circle = annotation.visibility == Annotation.Visibility.CIRCLE
        if in_circle and not annotation.is_reply and annotation.circle_id not in member_of:
            left_circle = annotation.circle
        super().__init__(*args, circles=circles, left_circle=left_circle, **kwargs)
        self.annotation = annotation
        if annotation.is_reply:
            del self.fields["visibility"]
            del self.fields["circle"]
        if annotation.is_reply or annotation.visibility == Annotation.Visibility.PUBLIC:
            # Nothing to widen: the note cannot reach more people than it does.
            del self.fields["show_earlier_versions"]

    # An edit sent twice is told apart by its version (see services.annotation_update).
    submission_key = None

    def clean_quote(self) -> str:
        quote = normalise_space(self.cleaned_data["quote"])
        # A note kept where its paragraph was (the paragraph deleted or its words changed)
        # may keep the words it quoted, though no paragraph has them now.
        if self.annotation.is_orphan and quote == normalise_space(self.annotation.quote):
            return self.annotation.quote
        return super().clean_quote()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_BODY,
        error_messages={
            "required": "Write something in the reply before sending it.",
            "max_length": "A reply can be at most 10,000 characters.",
        },
    )
    submission_key = _submission_key_field()

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something in the reply before sending it.")
        return body


# Negotiating the text: proposals, the actions on them, paragraph status, pen holders ------

MAX_REASON = 2_000
OUT_OF_DATE = "This form is out of date: reload the page and make your changes again."

# What a proposal's audience is, as the form offers it.
PROPOSAL_STATES = [
    (Proposal.State.DRAFT, "Draft: my delegation (and circle)"),
    (Proposal.State.TABLED, "Tabled: every delegate"),
]


class _RefusableForm(forms.Form):
    def refuse(self, refused: ProposalRefused) -> None:
        """Show a refusal of the service (the rules of ``services.proposals``) at its field,
        or above the form."""
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)


class ProposalForm(_RefusableForm):
    """A proposal on a paragraph: amend it (``text`` is its new wording), delete it, or
    insert a new paragraph after it. ``circles`` are those the delegate's delegation is in
    (read once for a whole page); the proposal may be made on behalf of one of them. What
    the wording may be is checked by the service, against the paragraph."""

    kind = forms.ChoiceField(
        label="Proposal",
        choices=Proposal.Kind.choices,
        initial=Proposal.Kind.AMEND,
        error_messages={
            "required": "Choose whether to amend the paragraph, delete it or insert one after it.",
            "invalid_choice": "Choose whether to amend the paragraph, delete it or insert a "
            "new one after it.",
        },
    )
    text = forms.CharField(
        label="Wording",
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The paragraph as you propose it, or the new paragraph; not needed to delete.",
        error_messages={"max_length": "A proposal can be at most 10,000 characters long."},
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the justification under 2,000 characters."},
    )
    state = forms.ChoiceField(
        label="Who sees it",
        choices=PROPOSAL_STATES,
        initial=Proposal.State.DRAFT,
        error_messages={
            "required": "Save the proposal as a draft for your delegation, or table it.",
            "invalid_choice": "Save the proposal as a draft for your delegation, or table it.",
        },
    )
    circle = forms.ChoiceField(
        label="On behalf of",
        required=False,
        error_messages={
            "invalid_choice": "Your delegation is not a member of that circle: choose one it "
            "has joined, or your delegation alone."
        },
    )
    submission_key = _submission_key_field()

    def __init__(self, *args, circles: list[Circle], **kwargs):
        super().__init__(*args, **kwargs)
        self.circles = {str(circle.pk): circle for circle in circles}
        self.fields["circle"].choices = [
            ("", "My delegation alone"),
            *((key, circle.name) for key, circle in self.circles.items()),
        ]

    def clean_circle(self) -> Circle | None:
        return self.circles.get(self.cleaned_data["circle"] or "")

    @property
    def circle_options(self) -> SafeString:
        """The options of the "On behalf of" select, the one chosen marked."""
        return select_options_html(self.fields["circle"].choices, self["circle"].value())

    def proposal(self) -> dict:
        """What the services take of a valid form: kind, text, reason, state, on_behalf_of."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("kind", "text", "reason", "state")}
        return {**fields, "on_behalf_of": data["circle"]}


class ProposalEditForm(ProposalForm):
    """An edit of a draft by its delegation, based on ``version``."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
        },
    )
    # An edit sent twice is told apart by its version (see services.proposal_update).
    submission_key = None


class ProposalActionForm(_RefusableForm):
    """One button of the proposals page: a stance, a withdrawal or a decision, with the pen
    holder's reason."""

    action = forms.ChoiceField(
        choices=[(action, action) for action in ACTIONS],
        error_messages={
            "required": "Choose what to do with the proposal.",
            "invalid_choice": "Choose what to do with the proposal.",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=MAX_REASON,
        error_messages={"max_length": "Keep the reason under 2,000 characters."},
    )


class ParagraphStatusForm(_RefusableForm):
    """The pen holder's status for each of ``paragraphs`` (a field named by its label); a
    paragraph the form does not send keeps its status."""

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.paragraphs = paragraphs
        for paragraph in paragraphs:
            self.fields[paragraph.label] = forms.ChoiceField(
                label=paragraph.display_label,
                required=False,
                choices=Paragraph.Status.choices,
                initial=paragraph.status,
                error_messages={
                    "invalid_choice": f"Choose open, agreed ad ref or agreed for "
                    f"{paragraph.display_label}."
                },
            )

    def statuses(self) -> dict[str, str]:
        return {label: status for label, status in self.cleaned_data.items() if status}

    def rows(self) -> list:
        """(paragraph, its field), in reading order, for the table of statuses."""
        return [(paragraph, self[paragraph.label]) for paragraph in self.paragraphs]


class PenHoldersForm(_RefusableForm):
    delegations = forms.ModelMultipleChoiceField(
        label="Pen holders",
        queryset=Delegation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their delegates mark paragraphs agreed and accept or reject proposals. "
        "With none, the editors do.",
        error_messages={"invalid_choice": "Choose delegations from the list."},
    )


# Circles ------------------------------------------------------------------------------------


class CircleForm(forms.Form):
    """A new circle: its name. The services check the rest (a delegation, a name the
    delegation has no circle by yet)."""

    name = forms.CharField(
        label="Name of the circle",
        max_length=MAX_CIRCLE_NAME,
        help_text="e.g. Nordic group, EU, Core group on ICT.",
        error_messages={
            "required": circle_name_refusal(""),
            "max_length": f"A circle’s name can be at most {MAX_CIRCLE_NAME} characters "
            "(this one has %(show_value)d).",
        },
    )
    submission_key = _submission_key_field()

    def clean_name(self) -> str:
        name = normalise_space(self.cleaned_data["name"])
        refusal = circle_name_refusal(name)
        if refusal:
            raise forms.ValidationError(refusal)
        return name


class CircleInviteForm(forms.Form):
    """A delegation to invite into a circle, by name."""

    delegation = forms.CharField(
        label="Delegation to invite",
        max_length=150,
        help_text="The Member State’s name, e.g. Iceland or Türkiye.",
        error_messages={
            "required": "Write the name of the delegation to invite, e.g. Iceland.",
            "max_length": "No delegation has a name that long: write the Member State’s name.",
        },
    )
    submission_key = _submission_key_field()


# A delegate's account ---------------------------------------------------------------------


class DelegatePasswordChangeForm(PasswordChangeForm):
    """Django's password change form, whose old password is checked as a login is: a wrong
    one counts towards the login lockout (five, then fifteen minutes), so that someone who
    found a delegate's session open cannot try passwords here until one fits."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        username = self.user.get_username()
        if authenticate(self.request, username=username, password=old_password) is None:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


# Sponsor lists -------------------------------------------------------------------------


class NotificationPreferencesForm(forms.Form):
    """How the delegate is told of each kind of notification: a field per kind, named by
    it (``mention=email``), starting from ``deliveries``, their choices as they stand."""

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Notification.Kind.values:
            told_of = TOLD_OF[kind]
            self.fields[kind] = forms.ChoiceField(
                label=told_of[0].upper() + told_of[1:],
                choices=Delivery.choices,
                initial=deliveries[kind],
                error_messages={
                    "required": f"Choose how you are told of {told_of}.",
                    "invalid_choice": f"Choose how you are told of {told_of}: in the inbox "
                    "only, by e-mail at once, or in a daily digest.",
                },
            )


class SponsorListForm(forms.Form):
    """A later sponsor list of a document, recorded by an editor."""

    label = forms.CharField(
        max_length=100,
        help_text="e.g. “Additional sponsors announced on 3 November 2021”.",
        error_messages={"required": "Give the list a label, e.g. where it was announced."},
    )
    as_of = forms.DateField(
        label="As of",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_within_workbench_years("the “as of” date")],
        error_messages={
            "required": "Give the date the list was current.",
            "invalid": "Write the date as YYYY-MM-DD, e.g. 2021-11-03.",
        },
    )
    source = forms.CharField(
        max_length=300, required=False, help_text="A document symbol or an address."
    )
    names = forms.CharField(
        label="Sponsors",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Paste the official sentence (“Australia, Austria … and Zimbabwe”) or one "
        "name a line.",
        error_messages={"required": "Paste the names of the sponsors."},
    )
    additional = forms.BooleanField(
        required=False,
        label="These are additional sponsors: add them to the current list",
    )

    def __init__(self, *args, document=None, **kwargs):
        self.document = document
        super().__init__(*args, **kwargs)

    def clean_label(self):
        label = normalise_space(self.cleaned_data["label"])
        if self.document and self.document.sponsor_lists.filter(label=label).exists():
            raise forms.ValidationError(label_taken(label))
        return label

    def clean_names(self) -> list[tuple[str, str]]:
        try:
            result = match_pasted_list(self.cleaned_data["names"], matcher_for(all_states()))
        except PastedListError as error:
            raise forms.ValidationError(str(error)) from None
        if result.unknown:
            problems = []
            for name in result.unknown:
                hint = (
                    f" (did you mean {' or '.join(name.suggestions)}?)" if name.suggestions else ""
                )
                problems.append(f"“{name.name_as_given}”{hint}")
            raise forms.ValidationError(
                "These names match no Member State: " + "; ".join(problems) + ". Correct them "
                "and save again; nothing was recorded."
            )
        # Punctuation and accents do not stop a match ("C-h-i-l-e" is Chile), so a matched
        # name can still be longer than the list keeps.
        longest = Sponsorship._meta.get_field("name_as_printed").max_length
        for name in result.matched:
            if len(name.name_as_given) > longest:
                raise forms.ValidationError(
                    f"“{name.name_as_given[:30]}…” is {len(name.name_as_given)} characters "
                    f"long; write each name in at most {longest} characters, as the document "
                    "prints it. Nothing was recorded."
                )
        return [(name.name_as_given, name.key) for name in result.matched]


# The follow-up tracker: a delegation's actions and the shared milestones ------------------

MAX_ACTION_TITLE = 200


class _IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _iso_date_field(label: str, what: str, *, required_message: str = "") -> forms.DateField:
    """A date typed as YYYY-MM-DD; ``what`` names it in a refusal ("the due date")."""
    # Only YYYY-MM-DD: "03/04/2026" means March in one capital and April in another.
    return forms.DateField(
        label=label,
        required=bool(required_message),
        input_formats=["%Y-%m-%d"],
        widget=_IsoDateInput(),
        validators=[_within_workbench_years(what)],
        error_messages={
            "invalid": "Enter the date as year-month-day, e.g. 2026-03-15.",
            "required": required_message,
        },
    )


class _OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class _ParagraphChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, paragraph) -> str:
        return f"{paragraph.document.symbol} {paragraph.display_label}"


class FollowUpActionForm(forms.ModelForm):
    """An action of the delegation. The owner must be one of its members and the paragraph
    one of a document under the agenda item; anything else is refused field by field."""

    title = forms.CharField(
        label="What to do",
        max_length=MAX_ACTION_TITLE,
        error_messages={
            "required": "Say what is to be done.",
            "max_length": "Keep the title to 200 characters (this one has %(show_value)d); "
            "put the detail in the note.",
        },
    )
    due_date = _iso_date_field(
        "Due", "the due date", required_message="Give the action a due date."
    )
    status = forms.ChoiceField(
        label="Status",
        choices=FollowUpAction.Status.choices,
        initial=FollowUpAction.Status.OPEN,
        error_messages={
            "required": "Choose a status: open, in progress or done.",
            "invalid_choice": "Choose a status: open, in progress or done.",
        },
    )
    note = forms.CharField(
        label="Note", required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_key = _submission_key_field()

    class Meta:
        model = FollowUpAction
        fields = ["title", "due_date", "status", "owner", "paragraph", "note"]
        field_classes = {"owner": _OwnerChoiceField, "paragraph": _ParagraphChoiceField}
        labels = {"owner": "Owner", "paragraph": "Answers paragraph"}
        help_texts = {"owner": "", "paragraph": ""}
        error_messages = {
            "owner": {
                "invalid_choice": "Choose someone from your delegation as the owner, or "
                "leave it empty."
            },
            "paragraph": {
                "invalid_choice": "Choose a paragraph of a document under this agenda item, "
                "or leave it empty."
            },
        }

    def __init__(self, *args, agenda_item, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Only adding can be repeated into a duplicate.
            del self.fields["submission_key"]
        self.fields["owner"].queryset = User.objects.filter(
            delegation=delegation, is_active=True
        ).order_by("first_name", "last_name", "username")
        self.fields["owner"].empty_label = "Nobody yet"
        self.fields["paragraph"].queryset = (
            Paragraph.objects.filter(document__agenda_listing__agenda_item=agenda_item)
            .select_related("document")
            .order_by("document__date", "document__symbol", "order")
        )
        self.fields["paragraph"].empty_label = "None in particular"

    def clean_title(self) -> str:
        title = normalise_space(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Say what is to be done.")
        return title


class FollowUpActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=FollowUpAction.Status.choices,
        error_messages={
            "required": "Choose a status: open, in progress or done.",
            "invalid_choice": "Choose a status: open, in progress or done.",
        },
    )


class MilestoneForm(forms.ModelForm):
    """A shared milestone; editors only. Every milestone says where it comes from."""

    title = forms.CharField(
        label="Milestone",
        max_length=200,
        error_messages={
            "required": "Name the milestone.",
            "max_length": "Keep the name to 200 characters (this one has %(show_value)d).",
        },
    )
    start_date = _iso_date_field(
        "Date (or first day)", "the milestone's date", required_message="Give the milestone a date."
    )
    end_date = _iso_date_field("Last day (if several days)", "the last day")
    sources = forms.CharField(
        label="Sources",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text="One web address or UN document symbol per line.",
        error_messages={
            "required": "Say where this comes from: a web address or a UN document symbol."
        },
    )
    submission_key = _submission_key_field()

    class Meta:
        model = Milestone
        fields = ["kind", "title", "start_date", "end_date", "place", "note", "sources"]
        labels = {"kind": "What it is"}
        help_texts = {
            "kind": "A sponsorship deadline is the last day to join the sponsors, as the "
            "Secretariat or the main sponsor announced it."
        }
        error_messages = {"kind": {"invalid_choice": "Choose what the milestone is from the list."}}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, a milestone is a meeting or an event, as every milestone was before kinds.
        self.fields["kind"].required = False
        if self.instance.pk:
            # Only adding can be repeated into a duplicate.
            del self.fields["submission_key"]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Milestone.Kind.EVENT

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day cannot come before the first day.")
        if start and end == start:
            cleaned["end_date"] = None
        return cleaned


class AgendaListingForm(forms.Form):
    """The item at one session, as an editor records it: a new session, or the number of a
    session already listed once it is known."""

    session = forms.IntegerField(
        label="Session",
        min_value=1,
        # Session titles are spelt out ("Eighty-first session") up to the ninety-ninth.
        max_value=99,
        error_messages={
            "required": "Give the session as a number, e.g. 81.",
            "invalid": "Give the session as a number, e.g. 81.",
            "min_value": "Give the session as a number between 1 and 99.",
            "max_value": "Give the session as a number between 1 and 99.",
        },
    )
    item_number = forms.CharField(
        label="Agenda item number",
        required=False,
        max_length=10,
        help_text="Leave empty while it is not known.",
        error_messages={"max_length": "An item number has at most 10 characters, e.g. 94 (b)."},
    )
    note = forms.CharField(
        label="How it got there",
        required=False,
        max_length=300,
        help_text="E.g. the paragraph or document that put it on the agenda.",
        error_messages={"max_length": "Keep the note to 300 characters."},
    )


# Importing a document ----------------------------------------------------------------


class ImportForm(forms.Form):
    """The text of a UN draft or resolution, pasted or uploaded, and what the text itself
    may not say. A valid form holds the import ``plan`` (nothing is saved by validating)."""

    text = forms.CharField(
        label="Text of the document",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text="Paste the whole document, heading included, from the official text.",
        error_messages={"null_characters_not_allowed": importing.BINARY_MESSAGE},
    )
    upload = forms.FileField(
        label="…or upload a text file",
        required=False,
        help_text="A .txt file in UTF-8, at most 1 MB.",
    )
    symbol = forms.CharField(
        required=False,
        max_length=80,
        help_text="Needed when the text does not print it, as drafts often don't: "
        "e.g. A/C.1/76/L.13/Rev.1.",
    )
    date = forms.DateField(
        label="Date of issue",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Needed only when the heading has no date.",
        error_messages={"invalid": "Write the date as YYYY-MM-DD, e.g. 2021-10-08."},
        validators=[_within_workbench_years("the date of issue")],
    )
    revision_of = forms.ModelChoiceField(
        label="Revision of",
        queryset=Document.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="— not a revision —",
        help_text="The earlier version this document revises or adopts; its page will link "
        "to the comparison.",
        error_messages={"invalid_choice": "Choose the earlier version from the list."},
    )

    plan: "importing.ImportPlan | None" = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload = cleaned.get("upload")
        try:
            if upload:
                if upload.size > importing.MAX_TEXT_BYTES:
                    raise importing.ImportRefused(importing.too_long(upload.size), "upload")
                text = importing.text_from_bytes(upload.read())
            elif cleaned.get("text"):
                text = importing.check_text(cleaned["text"])
            else:
                raise importing.ImportRefused(
                    "Paste the text of the document, or choose a .txt file to upload.", "text"
                )
            self.plan = importing.prepare_import(
                text,
                symbol=cleaned.get("symbol"),
                date=cleaned.get("date"),
                revision_of=cleaned.get("revision_of"),
                # The preview proposes the draft a resolution was adopted from; the import
                # itself takes the delegate's choice in the preview as it is, "none" too.
                propose_draft="save" not in self.data,
            )
        except importing.ImportRefused as refused:
            self.add_error(refused.field if refused.field in self.fields else None, refused.message)
        return cleaned

    def revision_options(self) -> list[tuple[str, str]]:
        """The documents the preview offers as the earlier version, as (slug, label)."""
        return [
            (
                document.slug,
                f"{document.symbol} · {document.get_kind_display().lower()} of "
                f"{document.date.day} {document.date:%B %Y}",
            )
            for document in self.fields["revision_of"].queryset.order_by("-session", "symbol")
        ]

    def refuse(self, refused: "importing.ImportRefused") -> None:
        """Show a refusal that came only when saving (the symbol was taken meanwhile)."""
        self.plan = None
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)


# Reading options of the notes list and the briefing, from the query string ----------------


class AnnotationFilterForm(forms.Form):
    tag = forms.CharField(required=False, max_length=50)
    author = forms.CharField(required=False, max_length=150)
    delegation = forms.CharField(required=False, max_length=150)
    visibility = forms.ChoiceField(
        required=False, choices=[("", "Anyone"), *Annotation.Visibility.choices]
    )
    paragraph = forms.CharField(required=False, max_length=20)
    notes = forms.ChoiceField(
        required=False,
        choices=[("", "All notes"), *NoteState.choices],
        error_messages={"invalid_choice": "Notes are open, resolved or orphaned."},
    )


class SearchForm(forms.Form):
    """The search box: words and "phrases in quotes" (read by ``resolutions.search``), and
    which notes to search."""

    q = forms.CharField(
        label="Search",
        required=False,
        strip=True,
        error_messages={"null_characters_not_allowed": "A search cannot hold a NUL character."},
    )
    notes = forms.ChoiceField(
        label="Notes",
        required=False,
        choices=[("", "All notes"), *NoteState.choices],
        error_messages={
            "invalid_choice": "Show all notes, or only open, resolved or orphaned ones."
        },
    )

    def clean_q(self) -> Search:
        search = read_search(self.cleaned_data["q"])
        if search.problem:
            raise forms.ValidationError(search.problem)
        return search


class CompilationFilterForm(forms.Form):
    """What the compilation text shows, read from the query string so that a filtered
    compilation can be bookmarked, shared and printed. The delegations and circles offered
    are those with proposals in the compilation."""

    status = forms.ChoiceField(
        label="Paragraphs",
        required=False,
        choices=[
            ("", "All paragraphs"),
            (Paragraph.Status.OPEN, "Open paragraphs only"),
            (Paragraph.Status.AGREED_AD_REF, "Agreed ad ref only"),
            (Paragraph.Status.AGREED, "Agreed only"),
        ],
        error_messages={
            "invalid_choice": "Choose all paragraphs, open ones, agreed ad ref or agreed."
        },
    )
    delegation = forms.ChoiceField(
        label="Proposals by",
        required=False,
        error_messages={
            "invalid_choice": "No delegation of that name has tabled a proposal on this text."
        },
    )
    circle = forms.ChoiceField(
        label="On behalf of",
        required=False,
        error_messages={
            "invalid_choice": "No proposal on this text is made on behalf of that circle."
        },
    )

    def __init__(self, *args, delegations=(), circles=(), **kwargs):
        kwargs.setdefault("auto_id", "compilation-%s")
        super().__init__(*args, **kwargs)
        self.fields["delegation"].choices = [
            ("", "Every delegation"),
            *((name, name) for name in delegations),
        ]
        self.fields["circle"].choices = [
            ("", "Any circle, or none"),
            *((str(pk), name) for pk, name in circles),
        ]


SECTIONS = [
    ("cover", "Cover"),
    ("facts", "Key facts"),
    ("text", "Text with notes"),
    ("follow-up", "Follow-up"),
]
SCOPES = [
    ("mine", "My notes"),
    ("delegation", "My delegation's notes"),
    ("circles", "Other delegations' notes in my circles"),
    ("public", "Public notes of others"),
]
DEFAULT_SCOPES = ["mine", "delegation"]


NOTE_PLACES = [
    ("paragraph", "Under their paragraph"),
    ("end", "At the end, as endnotes"),
]
# The choices that say what goes in; without any of them the briefing has the default content.
_CONTENT_PARAMETERS = ("sections", "notes", "tag")


class BriefingForm(forms.Form):
    """What to include and how to print it; read from the query string so a briefing can be
    bookmarked."""

    sections = forms.MultipleChoiceField(
        choices=SECTIONS, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.MultipleChoiceField(
        label="Notes to include",
        choices=SCOPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tag = forms.CharField(required=False, max_length=50, label="Only notes tagged")
    notes_at = forms.ChoiceField(
        label="Print notes",
        choices=NOTE_PLACES,
        required=False,
        initial="paragraph",
        widget=forms.RadioSelect,
    )
    addresses = forms.BooleanField(
        required=False, label="Print the addresses of the documents cited"
    )

    @classmethod
    def from_query(cls, params) -> "BriefingForm":
        if not any(name in params for name in _CONTENT_PARAMETERS):
            # Nothing chosen (no query string, or only how to print): everything, with the
            # user's own and their delegation's notes.
            data = {"sections": [key for key, _ in SECTIONS], "notes": DEFAULT_SCOPES}
            for name in ("notes_at", "addresses"):
                if name in params:
                    data[name] = params.get(name)
            return cls(data)
        return cls(params)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("notes_at"):
            # So that the choice shows as made: under their paragraph unless asked otherwise.
            data = data.copy()
            data["notes_at"] = "paragraph"
        super().__init__(data, **kwargs)

    def options(self) -> tuple[set[str], set[str], str]:
        if not self.is_valid():
            return {key for key, _ in SECTIONS}, set(DEFAULT_SCOPES), ""
        data = self.cleaned_data
        return set(data["sections"]), set(data["notes"]), data["tag"].strip()

    def layout(self) -> tuple[bool, bool]:
        """(notes as endnotes, print the cited documents' addresses); by default notes print
        under their paragraph and the documents cited as symbols only."""
        if not self.is_valid():
            return False, False
        return self.cleaned_data["notes_at"] == "end", self.cleaned_data["addresses"]


class RevisionForm(forms.Form):
    """The symbol a pen holder issues the next revision under, and whether their
    delegation's notes come across with it."""

    symbol = forms.CharField(
        label="Symbol of the revision",
        help_text="As it will be printed, e.g. A/C.1/76/L.13/Rev.1.",
        error_messages={"required": "Give the revision its symbol, e.g. A/C.1/76/L.13/Rev.1."},
    )
    carry_notes = forms.BooleanField(
        required=False,
        label="Bring my delegation’s notes across to the revision",
        help_text="Each lands on its paragraph when the paragraph is unchanged or the words it "
        "quotes are still there; the others stay where their paragraph was, beside its old "
        "words, for you to check. Other delegations "
        "bring their own notes across from the comparison.",
    )

    def clean_symbol(self) -> str:
        try:
            return revising.check_revision_symbol(self.cleaned_data["symbol"])
        except revising.RevisionRefused as refused:
            raise forms.ValidationError(refused.message) from None
