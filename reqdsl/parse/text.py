"""Turning string tokens into text: escapes in strings, dedenting text blocks."""

from __future__ import annotations

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def cook_string(token: str) -> str:
    """The value of a `"..."` token: quotes removed, escapes `\\" \\\\ \\n \\t` applied.

    The grammar admits no other escape, so every backslash here starts a valid one.
    """
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            out.append(_ESCAPES.get(body[index + 1], body[index + 1]))
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


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
