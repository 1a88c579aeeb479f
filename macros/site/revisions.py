"""When each page's source last changed, from one `git log` over docs/.

Replaces mkdocs-git-revision-date-localized-plugin, whose `git log --diff-filter=r` finds no
commit with git 2.39 (Debian bookworm, the deploy container), so every page claimed the build
date as its last update: a false freshness date on a health site. A page with no history (no
git, a shallow clone that lacks it, a new file) gets no date rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(repo: Path, folder: str = "docs") -> dict[str, dt.date]:
    """Path under `folder` (e.g. 'bad-week.md') → the author date (UTC) of the newest commit touching it."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "log", "--format=%x00%at", "--name-only", "--no-renames", "--", folder],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    prefix = f"{folder}/"
    for entry in out.split("\0")[1:]:
        stamp, *names = entry.strip().split("\n")
        day = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()
        for name in names:
            if name.startswith(prefix):
                dates.setdefault(name.removeprefix(prefix), day)  # newest first: keep the first seen
    return dates


def date_markup(day: dt.date) -> str:
    """The span Material shows as "Last updated", with the class the plugin used."""
    return (
        f'<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-date">'
        f'<time datetime="{day.isoformat()}">{day:%B} {day.day}, {day.year}</time></span>'
    )
