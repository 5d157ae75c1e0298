"""Forms, with messages written for a delegate."""

import re

from django import forms

from .models import Annotation

MAX_BODY = 10_000
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_QUOTE = 2_000


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class AnnotationForm(forms.Form):
    """A new note on a paragraph. ``paragraph`` is needed to check a quoted passage."""

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

    def __init__(self, *args, paragraph=None, **kwargs):
        self.paragraph = paragraph
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something in the note before saving it.")
        return body

    def clean_tags(self) -> list[str]:
        tags: list[str] = []
        seen: set[str] = set()
        for raw in self.cleaned_data["tags"].split(","):
            tag = _normalise_space(raw)
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

    def clean_quote(self) -> str:
        quote = _normalise_space(self.cleaned_data["quote"])
        if quote and self.paragraph and quote not in _normalise_space(self.paragraph.text):
            raise forms.ValidationError(
                f"These words are not in {self.paragraph.display_label}; copy them from "
                "the paragraph, or leave the quote empty."
            )
        return quote


class AnnotationEditForm(AnnotationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


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

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something in the reply before sending it.")
        return body
