"""Audit a build against the trust checks of the comparison (issue 16's "done when").

Reads a build's ``policy_ie.sqlite`` (its comparison, drill-down and article texts) and
prints, for the chosen value of every metric cell:

* whether the panel was written, and how many cells have no year;
* how many sit on a row below the province while their sentence speaks of the whole country
  or the world (我国, 全国, 全球, 世界: a national or world figure on a county's row);
* how many come from articles that never mention 贫 or 扶 (off-topic articles);
* how many town and village rows lack their province;
* how many chosen values break the plausible bounds of their row's level (pipeline/data/plausible.yaml:
  none should, unless a reviewer accepted it), how many values were left out as implausible, and
  how many cells each review code (``<column>_review``) marks.

It is a check for a person reading a build, not a test of the extractors: a sentence that
says 全国 may still give a county's own figure, so the second count is an upper bound.

    python scripts/trust_audit.py outputs [--json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from policy_ie.pipeline.plausible import implausible

#: words of a sentence that speak of the whole country or the world
WIDE_WORDS = ("我国", "全国", "全球", "世界")
#: characters an article on poverty work cannot do without
TOPIC_CHARS = ("贫", "扶")
BELOW_PROVINCE = ("city", "county", "town", "village")


def audit(output: Path) -> dict[str, Any]:
    """The trust figures of the build in ``output`` (see the module's docstring)."""
    db = output / "policy_ie.sqlite"
    if not db.is_file():
        raise FileNotFoundError(f"{db}: no database; build first (policy-ie build --output {output})")
    con = sqlite3.connect(db)
    metric_columns = [r[0] for r in con.execute("select distinct \"column\" from sources where metric is not null")]
    comparison = {r[1] for r in con.execute("pragma table_info(comparison)")}
    cells = no_year = 0
    for col in metric_columns:
        if col not in comparison:
            continue
        year = f"{col}_year"
        cells += con.execute(f'select count(*) from comparison where "{col}" is not null').fetchone()[0]
        if year in comparison:
            no_year += con.execute(f'select count(*) from comparison where "{col}" is not null '
                                   f'and "{year}" is null').fetchone()[0]
    chosen = con.execute(
        "select s.sentence, c.level, a.text from sources s join comparison c on c.region_code = s.region_code "
        "left join articles a on a.id = s.article_id where s.chosen = 1 and s.metric is not null").fetchall()
    wide_below = sum(1 for sentence, level, _ in chosen
                     if level in BELOW_PROVINCE and any(w in (sentence or "") for w in WIDE_WORDS))
    off_topic = sum(1 for _, _, text in chosen if not any(c in (text or "") for c in TOPIC_CHARS))
    small = con.execute("select count(*), sum(province is null) from comparison "
                        "where level in ('town', 'village')").fetchone()
    sources = {r[1] for r in con.execute("pragma table_info(sources)")}
    check = 's."check"' if "check" in sources else "null"
    breaking = sum(1 for column, metric, level, value, why in con.execute(
        f"select s.\"column\", s.metric, c.level, s.value, {check} from sources s join comparison c "
        "on c.region_code = s.region_code where s.chosen = 1 and s.metric is not null")
        if implausible(column, metric, level, float(value)) and not (why or "").startswith("accepted"))
    left_out = con.execute(f"select count(*) from sources s where {check} like 'implausible%'").fetchone()[0]
    codes: dict[str, int] = {}
    for col in metric_columns:
        if f"{col}_review" in comparison:
            for (review,) in con.execute(f'select "{col}_review" from comparison where "{col}_review" is not null'):
                for code in review.split(";"):
                    codes[code] = codes.get(code, 0) + 1
    return {
        "panel": (output / "panel.csv").is_file(),
        "metric_cells": cells,
        "cells_without_year": no_year,
        "chosen_cells": len(chosen),
        "wide_figures_below_province": wide_below,
        "off_topic_cells": off_topic,
        "off_topic_share": round(off_topic / len(chosen), 3) if chosen else 0.0,
        "town_village_rows": small[0],
        "town_village_rows_without_province": small[1] or 0,
        "chosen_breaking_bounds": breaking,
        "values_left_out_implausible": left_out,
        "cells_by_review_code": dict(sorted(codes.items(), key=lambda kv: -kv[1])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="a build's output folder")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    try:
        figures = audit(args.output)
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:38} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
