"""Comparing sponsor lists: who is on all of them, who only on one, who on some.

Lists are sequences of state keys (ISO3 codes in this project), labelled by where they come
from: a document symbol such as "A/C.1/76/L.13", or "Pasted list". Plain Python with no
Django, so the comparison page, its JSON twin and the briefing share one tested definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

NOT_IN_A_REGIONAL_GROUP = "Not in a regional group"


@dataclass
class Comparison:
    """Two or more sponsor lists side by side. Every list of states is sorted by key."""

    labels: list[str]
    """The lists compared, in the order given."""
    in_all: list[str] = field(default_factory=list)
    """States on every list."""
    only: dict[str, list[str]] = field(default_factory=dict)
    """For each label, the states on that list and on no other (empty lists included)."""
    in_some: list[str] = field(default_factory=list)
    """States on more than one list but not on all of them (always empty for two lists)."""
    union: list[str] = field(default_factory=list)
    """States on at least one list."""
    lists_with: dict[str, list[str]] = field(default_factory=dict)
    """For each state in `union`, the labels of the lists it is on, in label order."""


def compare_lists(lists: Mapping[str, Sequence[str]]) -> Comparison:
    """Compare sponsor lists given as `{label: [state key, ...]}`.

    A state named twice on one list counts once. Takes time linear in the total length of
    the lists (plus sorting the results). Raises ValueError for fewer than two lists.
    """
    if len(lists) < 2:
        raise ValueError("Choose at least two sponsor lists to compare.")
    labels = list(lists)
    lists_with: dict[str, list[str]] = {}
    for label in labels:
        for key in dict.fromkeys(lists[label]):
            lists_with.setdefault(key, []).append(label)

    comparison = Comparison(labels=labels, only={label: [] for label in labels})
    for key in sorted(lists_with):
        on = lists_with[key]
        if len(on) == len(labels):
            comparison.in_all.append(key)
        elif len(on) == 1:
            comparison.only[on[0]].append(key)
        else:
            comparison.in_some.append(key)
    comparison.union = sorted(lists_with)
    comparison.lists_with = {key: lists_with[key] for key in comparison.union}
    return comparison


def group_breakdown(
    keys: Iterable[str],
    group_of: Mapping[str, str],
    groups: Sequence[str],
    not_in_a_group: str = NOT_IN_A_REGIONAL_GROUP,
) -> dict[str, int]:
    """Count the states in `keys` by group, e.g. by UN regional group.

    The result has every one of `groups`, in the order given, with 0 where no state of the
    list belongs to it. Each state counts once however often it is listed. States whose group
    is unknown or not among `groups` are counted under `not_in_a_group`, an entry that is
    present only when it is not 0, so that no state silently drops out of the totals.
    """
    counts = dict.fromkeys(groups, 0)
    outside = 0
    for key in dict.fromkeys(keys):
        group = group_of.get(key)
        if group in counts:
            counts[group] += 1
        else:
            outside += 1
    if outside:
        counts[not_in_a_group] = counts.get(not_in_a_group, 0) + outside
    return counts
