"""``@username`` mentions in a delegate's words: which usernames a text names."""

import re

# A username as Django's default validator takes it (letters, digits and @ . + - _), up to
# 150 characters. A mention starts after a character that cannot end an e-mail address's
# local part, so "amina@un.org" names no one; it ends before a final full stop or comma
# ("thanks @lars." names lars), and "@" inside the name is left out, so "@lars@amina"
# names lars alone.
_MENTION = re.compile(r"(?<![\w.+\-@])@([\w.+\-]{1,150})", re.UNICODE)


def mentioned_usernames(text: str) -> list[str]:
    """The usernames ``text`` mentions with ``@``, each once, in the order they first
    appear. An e-mail address mentions no one."""
    names: list[str] = []
    seen: set[str] = set()
    for match in _MENTION.finditer(text):
        name = match.group(1).rstrip(".-+")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names
