"""The git commit a folder is at, for records that name it (review stamps).

Only `git rev-parse` is run: it reads refs and configuration and, unlike `git status` or
`git diff`, starts no hook, filesystem monitor, diff driver or filter a repository of
unknown origin could configure. Any failure (no git, not a repository, an unborn branch,
a repository git refuses as unsafe) means "no revision", never an error.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_COMMIT = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")  # SHA-1 or SHA-256 repositories


def head_revision(folder: Path) -> str | None:
    """The full ID of the commit checked out in `folder`'s repository, or None."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        process = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env=environment,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = process.stdout.strip()
    return revision if process.returncode == 0 and _COMMIT.match(revision) else None
