"""Write docs/medicines/<id>.md for every medicine in data that has no page yet (`make medicine-pages`).

Each page is a thin shell around {{ medicine_page(id) }}, so the content comes from data;
a test fails if a medicine in data has no page.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from macros.data import load

TEMPLATE = """---
title: {title}
description: {title} from sourced data - names, half-life, equivalents by source, strengths, tapering.
audience: both
reviewed: {today}
next_review: {next}
sources: [jcpg-2025]
---

# {title} {{ #top }}

!!! abstract "In short"
    Facts about {generic}, each with its source. Plan any change with your prescriber, and never
    stop suddenly after regular use.

{{{{ medicine_page("{id}") }}}}

## References {{ #references }}

{{{{ references() }}}}
"""


def main(root: str = ".") -> None:
    base = Path(root)
    ds = load(base / "data")
    folder = base / "docs" / "medicines"
    folder.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    for med in ds.medications:
        page = folder / f"{med.id}.md"
        if page.exists():
            continue
        text = TEMPLATE.format(
            title=med.generic.capitalize(),
            generic=med.generic,
            id=med.id,
            today=today.isoformat(),
            next=(today + dt.timedelta(days=182)).isoformat(),
        )
        page.write_text(text, encoding="utf-8")
        print(f"wrote {page}")


if __name__ == "__main__":
    main(*sys.argv[1:])
