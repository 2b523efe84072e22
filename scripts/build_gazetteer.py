"""Build the compact gazetteer shipped in ``extractors/data/gazetteer/`` from the NBS/MCA files.

Reads the ``admin_divisions`` folder described by its README (``history/`` and ``aliases/``)
and writes three derived files, deterministic byte for byte so a test can rebuild and compare:

- ``divisions.tsv``: one row per (code, name) at province, city and county level, with
  parent, first/last seen snapshot, kind and the 2023 short name from the alias file;
- ``towns.tsv``: one row per (9-digit code, name), names normalised (``街道办事处`` -> ``街道``);
- ``villages.tsv.zst`` (optional, ``--no-villages`` leaves it out): per town a ``#<town code>``
  line, then ``<last 3 digits>\\t<name>`` rows, ``村委会`` read as ``村`` (``四青村委会`` -> ``四青村``).

Hand-made aliases live in ``aliases_manual.tsv`` beside the output and are never written here.

usage: python scripts/build_gazetteer.py --source DIR --output DIR [--no-villages]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from pathlib import Path

DIV_HEADER = ("code", "name", "level", "parent", "first_seen", "last_seen", "kind", "short")
TOWN_HEADER = ("code", "name", "first_seen", "last_seen")
# Committee suffixes of NBS village names and what news text writes instead
# (四青村委会 -> 四青村, 多福巷社区居委会 -> 多福巷社区).
VILLAGE_SUFFIX = re.compile(r"(?:村?村民委员会|村?村委会|社区居民委员会|社区居委会)$")
TOWN_OFFICE = re.compile(r"办事处$")


def _short_names(source: Path) -> dict[tuple[str, str], str]:
    """(6-digit code, full name) -> short name, from the xiangyuecn alias file (2023 state)."""
    out: dict[tuple[str, str], str] = {}
    path = source / "aliases" / "ok_data_level3.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["ext_id"][:6]
            short = row["name"].strip()
            if short and short != row["ext_name"]:
                out.setdefault((code, row["ext_name"].strip()), short)
    return out


def build_divisions(source: Path) -> str:
    """The text of ``divisions.tsv``."""
    shorts = _short_names(source)
    rows = []
    with (source / "history" / "divisions_history.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            short = shorts.get((r["code"], r["name"]), "")
            rows.append((r["code"], r["name"], r["level"], r["parent_code"], r["first_seen"],
                         r["last_seen"], r["kind"], short))
    rows.sort(key=lambda t: (t[0], t[4], t[1]))
    return _tsv(DIV_HEADER, rows)


def normalise_town(name: str) -> str:
    """NBS town name as news text writes it (``东华门街道办事处`` -> ``东华门街道``)."""
    name = name.strip()
    if name.endswith("办事处") and len(name) > 4:
        name = TOWN_OFFICE.sub("", name)
    return name


def build_towns(source: Path) -> str:
    """The text of ``towns.tsv``: (code, normalised name) merged over snapshots."""
    spans: dict[tuple[str, str], list[str]] = {}
    with (source / "history" / "towns_history.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            key = (r["code"], normalise_town(r["name"]))
            s = spans.setdefault(key, [r["first_seen"], r["last_seen"]])
            s[0], s[1] = min(s[0], r["first_seen"]), max(s[1], r["last_seen"])
    rows = sorted((c, n, f, last) for (c, n), (f, last) in spans.items())
    return _tsv(TOWN_HEADER, rows)


def normalise_village(name: str) -> str:
    """NBS village name as news text writes it (``四青村委会`` -> ``四青村``)."""
    return VILLAGE_SUFFIX.sub(lambda m: "社区" if m.group()[0] == "社" else "村", name.strip())


def build_villages(source: Path) -> bytes:
    """The zstd-compressed ``villages.tsv.zst`` (grouped by town, 3-digit local codes; zstd
    rather than xz: a tenth of the time to decompress, at 4% more bytes)."""
    names: dict[str, dict[str, None]] = {}
    path = source / "history" / "villages_history.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            names.setdefault(r["code"], {})[normalise_village(r["name"])] = None
    buf = io.StringIO()
    town = None
    for code in sorted(names):
        if code[:9] != town:
            town = code[:9]
            buf.write(f"#{town}\n")
        for n in sorted(names[code]):
            buf.write(f"{code[9:]}\t{n}\n")
    import zstandard

    return zstandard.ZstdCompressor(level=19).compress(buf.getvalue().encode("utf-8"))


def _tsv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def build(source: Path, output: Path, villages: bool = True) -> list[Path]:
    """Write the gazetteer files into ``output``; returns the paths written."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("divisions.tsv", build_divisions(source)),
                       ("towns.tsv", build_towns(source))):
        p = output / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    if villages:
        p = output / "villages.tsv.zst"
        p.write_bytes(build_villages(source))
        written.append(p)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, required=True, help="the admin_divisions folder")
    ap.add_argument("--output", type=Path, required=True, help="extractors/data/gazetteer")
    ap.add_argument("--no-villages", action="store_true", help="leave villages.tsv.zst out")
    args = ap.parse_args(argv)
    for p in build(args.source, args.output, villages=not args.no_villages):
        print(f"wrote {p} ({p.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
