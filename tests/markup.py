"""A page's HTML as a tree of elements, to check the contracts other programs rely on (which
forms a paragraph holds, which buttons a proposal offers) by structure rather than by the
spelling of the markup. Standard library only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.attrs

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Descendants with the tag and attributes (``True``: present, whatever its value;
        ``data_proposal_id`` for ``data-proposal-id``)."""

        def matches(element: Element) -> bool:
            if tag is not None and element.tag != tag:
                return False
            for name, wanted in attrs.items():
                name = name.replace("_", "-")
                if wanted is True:
                    if name not in element.attrs:
                        return False
                elif element.attrs.get(name) != wanted:
                    return False
            return True

        return [element for element in self.iter() if matches(element)]

    def find(self, tag: str | None = None, **attrs: str | bool) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'} {attrs}>"
        return found[0]

    def where(self, test: Callable[[Element], bool]) -> list[Element]:
        return [element for element in self.iter() if test(element)]

    @property
    def text(self) -> str:
        """The element's text, white space as one space."""
        parts: list[str] = []

        def walk(element: Element) -> None:
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def field_names(self) -> set[str]:
        """The names of the fields a form sends (inputs, selects, textareas, buttons)."""
        return {
            element["name"]
            for element in self.iter()
            if element.tag in {"input", "select", "textarea", "button"} and element.has("name")
        }

    def options(self) -> list[str]:
        return [option.get("value", option.text) for option in self.find_all("option")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
