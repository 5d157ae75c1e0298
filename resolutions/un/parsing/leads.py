"""Leads: the italic opening phrase of a paragraph ("Recalling", "Also requests"), as
marked up or found by the grammar of UN resolutions.
"""

from __future__ import annotations

import re

from resolutions.un.parsing.document import _words

_MARKED_LEAD = re.compile(r"^(\*\*|\*|__|_)(?!\s)(.+?)(?<!\s)\1(?![*_])")
_LONGEST_MARKED_LEAD = 6  # words; a longer italic opening is emphasis, not a lead
_LEAD_ADVERBS = frozenset(
    _words(
        """also further again once deeply gravely strongly firmly seriously profoundly fully warmly
        most highly expressly solemnly urgently particularly especially equally likewise"""
    )
)
_TRAILING_ADVERBS = frozenset(["also", "further", "again"])
_PREAMBULAR_ADJECTIVES = frozenset(
    _words(
        """mindful cognizant aware conscious appreciative desirous confident grateful keen anxious
        fearful hopeful resolute respectful"""
    )
)
# Words ending like participles that never open a preambular paragraph.
_NOT_PREAMBULAR_LEADS = frozenset(_words("united limited red need indeed hundred seed thing"))
_NOT_OPERATIVE_VERBS = frozenset(_words("its this is has was his as us thus these those"))
# Fixed phrases whose later words are printed in italics with the verb.
_CONCERN_NOUNS = _words(
    "concern appreciation gratitude regret satisfaction support hope condolences "
    "solidarity sympathy thanks"
)
_CONCERN_ADJECTIVES = _words("deep grave serious profound great strong sincere")
_WITH_PHRASES: list[tuple[str, ...]] = [
    ("with", adjective, noun)
    for adjective in _CONCERN_ADJECTIVES
    for noun in ("concern", "appreciation", "satisfaction", "regret")
] + [("with", noun) for noun in ("appreciation", "concern", "satisfaction", "interest", "regret")]
_EXPRESSING_PHRASES: list[tuple[str, ...]] = (
    [
        (owner, adjective, noun)
        for owner in ("its", "their")
        for adjective in _CONCERN_ADJECTIVES
        for noun in _CONCERN_NOUNS
    ]
    + [(owner, noun) for owner in ("its", "their", "the") for noun in _CONCERN_NOUNS]
    + [(adjective, noun) for adjective in _CONCERN_ADJECTIVES for noun in _CONCERN_NOUNS]
    + [(noun,) for noun in _CONCERN_NOUNS]
)
_TAKING_PHRASES = [
    ("note", "with", "appreciation"),
    ("note", "with", "satisfaction"),
    ("note", "with", "concern"),
    ("note", "with", "interest"),
    ("into", "account"),
    ("into", "consideration"),
    ("note",),
    ("action",),
]
_LEAD_PHRASES: dict[str, list[tuple[str, ...]]] = {
    "calls": [("upon",), ("on",), ("for",)],
    "call": [("upon",), ("on",), ("for",)],
    "takes": _TAKING_PHRASES,
    "taking": _TAKING_PHRASES,
    "bearing": [("in", "mind")],
    "bears": [("in", "mind")],
    "keeping": [("in", "mind")],
    "guided": [("by",)],
    "expressing": _EXPRESSING_PHRASES,
    "expresses": _EXPRESSING_PHRASES,
    "looking": [("forward",)],
    "looks": [("forward",)],
    "having": [
        (participle,)
        for participle in _words(
            "considered examined reviewed received heard studied noted adopted taken met regard"
        )
    ],
    "pays": [("tribute",)],
    "paying": [("tribute",)],
}
for _verb in _words(
    """notes noting welcomes welcoming recognizes recognizing acknowledges acknowledging reaffirms
    reaffirming recalls recalling"""
):
    _LEAD_PHRASES[_verb] = _WITH_PHRASES
_WORD = re.compile(r"\S+")
_WORD_EDGE_PUNCTUATION = ',;:.”’"()'


def lead_of(text: str, part: str) -> str:
    """The italic opening phrase of a paragraph's clean text ("Recalling", "Also requests",
    "Calls upon"), as the reader finds it in a text with no markup; "" when the paragraph
    opens otherwise. ``part`` is "preambular" or "operative"."""
    return _lead_of(text, part)


def _lead_of(text: str, part: str) -> str:
    """The italic opening phrase, found by the grammar of UN resolutions when not marked up.

    Preambular paragraphs open with a participle or adjective ("Recalling", "Mindful",
    "Deeply concerned"), operative ones with a verb in the third person ("Decides", "Also
    requests"); some verbs take fixed words ("Calls upon", "Taking into account", "Expressing
    concern"), and "also", "further", "again" follow in the same italics. An opening that is
    none of these ("Pending the total elimination ..., urges") has no lead.
    """
    if not text[:1].isupper():
        return ""
    # (word in lower case without its punctuation, offset where that ends, punctuated?)
    words: list[tuple[str, int, bool]] = []
    for match in _WORD.finditer(text, 0, 200):
        bare = match.group(0).rstrip(_WORD_EDGE_PUNCTUATION)
        words.append((bare.lower(), match.start() + len(bare), bare != match.group(0)))

    index = 0
    while index < len(words) and words[index][0] in _LEAD_ADVERBS and not words[index][2]:
        index += 1  # "Also requests", "Deeply concerned", "Once again calls upon"
    if index == len(words) or not _is_lead_verb(words[index][0], part):
        return ""
    head, end, punctuated = words[index]
    index += 1
    if punctuated:  # "Recalling, in this context, ..."
        return text[:end]

    probe = index  # "Calls again upon": adverbs may stand before the fixed words
    while probe < len(words) and words[probe][0] in _TRAILING_ADVERBS and not words[probe][2]:
        probe += 1
    next_word = words[probe][0] if probe < len(words) else ""
    for phrase in _LEAD_PHRASES.get(head, ()):
        if phrase[0] != next_word:
            continue
        candidate = words[probe : probe + len(phrase)]
        if tuple(word for word, _, _ in candidate) == phrase and not any(
            punctuated for _, _, punctuated in candidate[:-1]
        ):
            index = probe + len(phrase)
            end = candidate[-1][1]
            if candidate[-1][2]:
                return text[:end]
            break

    while index < len(words):
        word, _, punctuated = words[index]
        if word == "once" and not punctuated and index + 1 < len(words):
            if words[index + 1][0] != "again":
                break
            index += 1
        elif word not in _TRAILING_ADVERBS:
            break
        end = words[index][1]
        index += 1
        if words[index - 1][2]:
            break
    return text[:end]


# Openings so common that a capitalised word after them ("Recalling General Assembly
# resolution …") does not make them doubtful.
_COMMON_PREAMBULAR_LEADS = frozenset(
    _words(
        """recalling reaffirming noting recognizing recognising welcoming bearing taking
        stressing emphasizing emphasising underlining underscoring acknowledging expressing
        having reiterating considering affirming commending appreciating highlighting
        convinced concerned determined guided encouraged alarmed believing desiring deploring
        condemning observing looking keeping committed wishing acting"""
    )
)


def _opens_preambular_paragraph(text: str) -> bool:
    """Whether a block of the preamble reads as a paragraph's opening ("Noting with",
    "Recalling General Assembly", "Deeply concerned"), not as the rest of a sentence a page
    break cut after a comma ("Securing Our Common Future: …")."""
    words = text.lstrip("*_ ").split(None, 2)
    if not words:
        return False
    first = words[0].strip("*_,").lower()
    second = words[1].strip("*_,") if len(words) > 1 else ""
    if first in _LEAD_ADVERBS:
        return _is_lead_verb(second.lower(), "preambular")
    if first in _COMMON_PREAMBULAR_LEADS or first in _PREAMBULAR_ADJECTIVES:
        return True
    return _is_lead_verb(first, "preambular") and not second[:1].isupper()


def _is_lead_verb(word: str, part: str) -> bool:
    if not word.replace("-", "").isalpha():
        return False
    if part == "preambular":
        if word in _NOT_PREAMBULAR_LEADS:
            return False
        return word.endswith(("ing", "ed")) or word in _PREAMBULAR_ADJECTIVES
    return len(word) > 3 and word.endswith("s") and word not in _NOT_OPERATIVE_VERBS
