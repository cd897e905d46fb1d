"""Turning string tokens into text: escapes in strings, dedenting text blocks."""

from __future__ import annotations

from .lexicon import lexicon


def cook_string(token: str) -> str:
    """The value of a `"..."` token: quotes removed, escapes applied (`\\n` a line break;
    which escapes exist, the grammar's STRING terminal says: see reqdsl/parse/lexicon.py).
    """
    body = token[1:-1]
    if "\\" not in body:  # most strings: no escape to apply
        return body
    return cook_string_with_offsets(token)[0]


def cook_string_with_offsets(token: str) -> tuple[str, list[int], list[int]]:
    """The value of a `"..."` token and, per character, its start and end offsets in the
    token (an escape's character spans both of its characters).

    The grammar admits no escape but its own, so every backslash here starts a valid
    one; a backslash the grammar would refuse is kept as the character after it.
    """
    escapes = lexicon().escapes
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index, last = 1, len(token) - 1
    while index < last:
        char = token[index]
        if char == "\\" and index + 1 < last:
            chars.append(escapes.get(token[index + 1], token[index + 1]))
            starts.append(index)
            ends.append(index + 2)
            index += 2
        else:
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
            index += 1
    return "".join(chars), starts, ends


def dedent_text_block(token: str) -> str:
    """The value of a `\"\"\"...\"\"\"` block: Markdown with its common indentation removed.

    Text on the line of the opening quotes is kept as the first line (it has no
    indentation of its own to compare); a first line holding only whitespace is dropped,
    and so are blank lines at the end. Tabs count as one column each, like spaces.
    """
    lines = token[3:-3].split("\n")
    first = lines[0].strip()
    rest = lines[1:]
    indents = [len(line) - len(line.lstrip()) for line in rest if line.strip()]
    margin = min(indents) if indents else 0
    body = [line[margin:] if line.strip() else "" for line in rest]
    if first:
        body.insert(0, first)
    while body and not body[-1]:
        body.pop()
    while body and not body[0]:
        body.pop(0)
    return "\n".join(body)
