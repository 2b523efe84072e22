"""The division gazetteer: names, short forms, history and hierarchy of Chinese divisions.

Loads the compact files that ``scripts/build_gazetteer.py`` derives from the NBS/MCA lists
(``extractors/data/gazetteer/``), adds the hand-made ``aliases_manual.tsv`` and the
suffix-less forms that ``extractors/data/regions.yaml`` describes, and answers:

- which divisions a surface form may name (:meth:`Gazetteer.lookup`): full names
  (``商洛市``), 2023 short names (``商洛``, ``黔东南``), suffix-less forms of any name, old
  ones included (``昌都``, ``平泉``), autonomy forms (``黔东南州``) and manual aliases;
- which of several records was valid at a date (:meth:`Gazetteer.at_date`);
- the hierarchy: parent, ancestors, province/city/county of a code;
- towns of a county and (lazily, from ``villages.tsv.zst``) villages of a town.

Province, city and county codes are the 6-digit GB/T 2260 form; towns have 9 digits and
villages 12 (NBS statistical codes). Loading the divisions takes about 0.1 s (see the
tests); the town list (about 0.02 s: records are made per county when asked) and the
village list (about 0.2 s, nearly all of it xz decompression) are read the first time an
article needs them.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.text.document import LEVELS
from policy_ie.text.lexicon import load_data

DATA = Path(__file__).resolve().parent / "data"
GAZ_DIR = DATA / "gazetteer"
#: counties whose town records, and towns whose village records, are kept at a time (made
#: again from the loaded lines when asked for after being dropped)
TOWNS_KEPT = 1000
VILLAGES_KEPT = 2000
#: hand-made forms beside the gazetteer (alias, code, note): corrections and old names, and
#: the customary short forms of the 自治州, 盟 and 地区 (克州, 锡盟)
MANUAL_FORMS = ("aliases_manual.tsv", "short_forms.tsv")
#: the kinds of :class:`Form` that :func:`load` makes (``form_kinds`` in regions.yaml ranks them)
FORM_KINDS = ("full", "alias", "autonomy", "short")


@dataclass(frozen=True, slots=True)
class Division:
    """One (code, name) of a division with the snapshots in which it was seen."""

    code: str
    name: str
    level: str
    parent: str | None
    first_seen: str
    last_seen: str
    kind: str = "regular"
    short: str = ""

    def months_from(self, ym: str) -> int:
        """Months between ``ym`` (``YYYY-MM``) and this record's seen interval (0 inside)."""
        m = _months(ym)
        a, b = _months(self.first_seen), _months(self.last_seen)
        return a - m if m < a else (m - b if m > b else 0)


@dataclass(frozen=True, slots=True)
class Form:
    """A surface form of a division: ``full`` name, ``short`` name, ``alias`` or ``autonomy``."""

    division: Division
    kind: str


@dataclass(slots=True)
class Gazetteer:
    """All divisions with their forms, indexed for look-ups."""

    records: dict[str, list[Division]] = field(default_factory=dict)
    forms: dict[str, list[Form]] = field(default_factory=dict)
    towns_path: Path | None = None
    _town_lines: list[str] | None = None
    _town_counties: list[str] = field(default_factory=list)  # the county of each line
    _towns: dict[str, list[Division]] = field(default_factory=dict)
    _ancestors: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    _village_data: bytes | None = None
    _villages: dict[str, str] = field(default_factory=dict)  # town code -> its lines of the file
    #: Look-ups that users derive from the gazetteer and keep with it (by name).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- look-ups -----------------------------------------------------------------------
    def lookup(self, surface: str) -> list[Form]:
        """Every form spelled ``surface`` (province, city and county level)."""
        return self.forms.get(surface, [])

    def get(self, code: str, ym: str | None = None) -> Division | None:
        """The record of ``code`` (the one valid at ``ym`` if given, else the latest)."""
        recs = self.records.get(code)
        if not recs:
            if len(code) == 12:
                return next((v for v in self.villages_of(code[:9]) if v.code == code), None)
            return None
        return self.at_date(recs, ym)[0]

    @staticmethod
    def at_date(recs: list[Division], ym: str | None) -> list[Division]:
        """``recs`` sorted best first for the date ``ym`` (latest first when no date)."""
        if len(recs) == 1:
            return list(recs)
        if ym is None:
            return sorted(recs, key=lambda d: (d.last_seen, d.first_seen), reverse=True)
        return sorted(recs, key=lambda d: (d.months_from(ym), -_months(d.last_seen)))

    def valid_at(self, div: Division, ym: str | None, slack: int = 12) -> bool:
        """Whether ``div`` existed at ``ym`` (within ``slack`` months: snapshots are sparse)."""
        return ym is None or div.months_from(ym) <= slack

    # -- hierarchy ----------------------------------------------------------------------
    def parent(self, code: str) -> str | None:
        """The parent code, skipping placeholder rows (市辖区, 省直辖县级行政区划)."""
        if len(code) == 12:
            return code[:9]
        if len(code) == 9:
            return code[:6]
        d = self.get(code)
        p = d.parent if d else None
        seen = {code}
        while p and p not in seen:
            seen.add(p)
            pd = self.get(p)
            if pd is None:
                return None
            if pd.kind not in ("placeholder", "pseudo_county"):
                return p
            p = pd.parent
        return None

    def ancestors(self, code: str) -> list[str]:
        """Codes above ``code``, nearest first (memoised: asked for at every mention)."""
        hit = self._ancestors.get(code)
        if hit is not None:
            return hit
        out: list[str] = []
        p = self.parent(code)
        while p and p not in out:
            out.append(p)
            p = self.parent(p)
        self._ancestors[code] = out
        return out

    def hierarchy(self, code: str, ym: str | None = None) -> dict[str, Division | None]:
        """The province, city and county (and town) records of ``code`` and above."""
        out: dict[str, Division | None] = {k: None for k in LEVELS}
        for c in [code, *self.ancestors(code)]:
            d = self.get(c, ym)
            if d is not None and out.get(d.level) is None:
                out[d.level] = d
        return out

    def is_within(self, code: str, ancestor: str) -> bool:
        """Whether ``ancestor`` is ``code`` or one of its ancestors."""
        return code == ancestor or ancestor in self.ancestors(code)

    # -- towns and villages -------------------------------------------------------------
    def towns_of(self, county: str) -> list[Division]:
        """Town records (all names over time) of a county code.

        The town list is read on first use as lines sorted by code, and a county's lines
        are made into records when it is first asked for: an article names a few counties
        of the 3,000, and making all 50,000 records took longer than a batch's look-ups.
        """
        got = self._towns.get(county)
        if got is None:
            if len(self._towns) >= TOWNS_KEPT:  # bounded: memory must not grow with the archive
                self._towns.clear()
            got = self._towns[county] = [_town(line) for line in self._town_lines_of(county)]
        return got

    def town_names_of(self, county: str) -> list[str]:
        """The names of the towns of a county (as :meth:`towns_of`, without making records:
        a batch searches the towns of nearly every county and finds a few)."""
        return [line.split("\t", 2)[1] for line in self._town_lines_of(county)]

    def _town_lines_of(self, county: str) -> list[str]:
        if self._town_lines is None:
            self._town_lines, self._town_counties = _read_town_lines(self.towns_path) if self.towns_path else ([], [])
        counties = self._town_counties
        lo = bisect.bisect_left(counties, county)
        return self._town_lines[lo:bisect.bisect_right(counties, county, lo)]

    def villages_of(self, town: str) -> list[Division]:
        """Village records of a 9-digit town code (loads the village file on first use).

        A town's lines of the file are kept (bounded, as the towns) and made into records
        at each call: a batch asks a few hundred times per 2,000 articles, and records kept
        for every town asked about grew with the archive (28,000 of them, 5 MB, after
        20,000 articles) where the lines take a tenth of that.
        """
        return [Division(town + local, name, "village", town, "", "") for local, _, name in self._village_rows(town)]

    def village_codes_of(self, town: str, suffixes: tuple[str, ...]) -> dict[str, str]:
        """The names of the villages of ``town`` that end with one of ``suffixes``, each with
        its code (the last village of a name, in the order of :meth:`villages_of`), without a
        record per village: a town has a few hundred and an article names one or two."""
        return {name: town + local for local, _, name in self._village_rows(town) if name.endswith(suffixes)}

    def _village_rows(self, town: str) -> list[tuple[str, str, str]]:
        """The town's lines of the village file, each partitioned at its tab (local code, tab, name)."""
        block = self._villages.get(town)
        if block is None:
            if self._village_data is None:
                self._village_data = _load_villages(GAZ_DIR / "villages.tsv.zst")
            if len(self._villages) >= VILLAGES_KEPT:
                self._villages.clear()
            block = self._villages[town] = _village_block(self._village_data, town)
        return [line.partition("\t") for line in block.splitlines() if line]


@cache
def _months(ym: str) -> int:
    """``YYYY-MM`` (or ``YYYY``: June) as a month count (memoised: a few hundred distinct
    values, asked for at every candidate record)."""
    y, _, m = ym.partition("-")
    return int(y) * 12 + (int(m) if m else 6) - 1


@cache
def region_data() -> dict[str, Any]:
    """``regions.yaml``, validated: lists of strings, a few scalars."""
    data = load_data(DATA / "regions.yaml")
    for key in ("suffixes", "ethnic", "generic_full_names", "context_short_names",
                "blocked_short_names", "stop_after", "stop_before", "stop_phrases",
                "town_suffixes", "village_suffixes", "unknown_suffixes", "org_words",
                "unknown_stop_stems", "unknown_stop_first", "form_kinds", "person_roles", "list_joiners",
                "person_verbs", "visit_verbs", "place_verbs", "everyday_county_words"):
        vals = data.get(key)
        if not isinstance(vals, list) or not all(isinstance(v, str) and v for v in vals):
            raise ValueError(f"regions.yaml: {key} must be a list of non-empty strings")
    for key in ("min_short_length", "unknown_max_stem", "opening_chars", "org_gap", "support_cap",
                "town_min_length", "village_window", "dateline_margin"):
        if not isinstance(data.get(key), int):
            raise ValueError(f"regions.yaml: {key} must be an integer")
    if sorted(data["form_kinds"]) != sorted(FORM_KINDS):
        raise ValueError(f"regions.yaml: form_kinds must order the kinds {', '.join(FORM_KINDS)}")
    for key in ("list_suffix", "visit_after", "visit_words", "title_small_place",
                "opening_quote", "county_predicate"):
        try:
            re.compile(data.get(key) or "")
        except (re.error, TypeError) as exc:
            raise ValueError(f"regions.yaml: {key} must be a regular expression ({exc})") from exc
        if not data.get(key):
            raise ValueError(f"regions.yaml: {key} must be a regular expression")
    if not isinstance(data.get("surnames"), str) or not data["surnames"]:
        raise ValueError("regions.yaml: surnames must be a string of surname characters")
    capitals = data.get("provincial_capitals")
    if not isinstance(capitals, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) == len(v) == 6 for k, v in capitals.items()):
        raise ValueError("regions.yaml: provincial_capitals must map province codes to city codes "
                         '(6 digits each, quoted: "620000": "620100")')
    if not isinstance(data.get("autonomy_forms"), dict):
        raise ValueError("regions.yaml: autonomy_forms must be a mapping")
    if not 0 <= data.get("opening_share", -1) <= 1:
        raise ValueError("regions.yaml: opening_share must be a number in [0, 1]")
    data["suffixes"] = sorted(data["suffixes"], key=len, reverse=True)
    data["ethnic"] = sorted(data["ethnic"], key=len, reverse=True)
    return data


@cache
def _endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The suffixes and the ethnic names, as tuples for one ``str.endswith`` each."""
    data = region_data()
    return tuple(data["suffixes"]), tuple(data["ethnic"])


def strip_suffix(name: str) -> str:
    """The suffix-less form of a division name (``道真仡佬族苗族自治县`` -> ``道真``, and
    ``东乡族自治县`` -> ``东乡``: a people's name is its division's stem less 族), or ``""``.

    Called for every division when the gazetteer loads: a name that ends in no suffix or
    ethnic name is passed over with one ``endswith`` each (start-up time).
    """
    data = region_data()
    suffixes, ethnic = _endings()
    stem = name
    if name.endswith(suffixes):
        for suf in suffixes:
            if stem.endswith(suf) and len(stem) > len(suf):
                stem = stem[: -len(suf)]
                break
    changed = stem.endswith(ethnic)
    while changed:
        changed = False
        for eth in data["ethnic"]:
            if stem.endswith(eth) and len(stem) > len(eth):
                stem = stem[: -len(eth)]
                changed = True
    if stem in data["ethnic"] and stem.endswith("族"):
        # a division named for its people (东乡族自治县, 鄂温克族自治旗): the people's name
        # less 族 is its short form (东乡, 东乡县 in local reporting)
        stem = stem[:-1]
    if stem == name or len(stem) < data["min_short_length"] or stem in data["ethnic"]:
        return ""
    return stem


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


def _read_town_lines(path: Path) -> tuple[list[str], list[str]]:
    """``towns.tsv`` (code, name, first, last seen) as lines ordered by county, file order kept
    within a county (the builder writes them in code order), and the county of each line."""
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    if lines and not lines[-1]:
        lines.pop()
    counties = [line[:6] for line in lines]
    if counties != sorted(counties):
        order = sorted(range(len(lines)), key=counties.__getitem__)
        lines, counties = [lines[i] for i in order], [counties[i] for i in order]
    return lines, counties


def _town(line: str) -> Division:
    code, name, first, last = line.split("\t")
    return Division(code, name, "town", code[:6], first, last)


def _load_villages(path: Path) -> bytes:
    """The village file decompressed: per town ``#<code>`` then ``local\tname`` lines."""
    if not path.exists():
        return b""
    import zstandard  # zstd rather than xz: 15 MB in 0.03 s of CPU, not 0.22 (start-up time)

    return zstandard.ZstdDecompressor().decompress(path.read_bytes())


def _village_block(data: bytes, town: str) -> str:
    """The ``local\tname`` lines of ``town`` (``""`` if none), found by a binary search over
    the town headers, which the builder writes in code order (codes of one length): the
    file is not split into 50,000 blocks for the few hundred towns a batch names."""
    key = town.encode()
    at = -1
    lo, hi = 0, len(data)
    while lo < hi:  # a header of code ``key`` begins in [lo, hi) if anywhere
        mid = (lo + hi) // 2
        h = data.find(b"#", mid, hi)
        if h < 0:
            hi = mid
            continue
        eol = data.find(b"\n", h)
        code = data[h + 1:eol if eol >= 0 else len(data)]
        if code == key:
            at = h
            break
        if code < key:
            lo = h + 1
        else:
            hi = mid
    if at < 0:  # not found, or the headers are not in order: look it up plainly
        at = data.find(b"#" + key + b"\n")
        if at < 0:
            return ""
    start = at + 1 + len(key) + 1
    end = data.find(b"#", start)
    return data[start:end if end >= 0 else len(data)].decode("utf-8")


@cache
def load(directory: Path = GAZ_DIR) -> Gazetteer:
    """Load the gazetteer once (``divisions.tsv``, ``towns.tsv``, :data:`MANUAL_FORMS`)."""
    data = region_data()
    gz = Gazetteer()
    records: dict[str, list[Division]] = defaultdict(list)
    for r in _read_tsv(directory / "divisions.tsv"):
        d = Division(r["code"], r["name"], r["level"], r["parent"] or None, r["first_seen"],
                     r["last_seen"], r["kind"], r["short"])
        records[d.code].append(d)
    gz.records = dict(records)
    children: dict[str, list[str]] = defaultdict(list)
    for code, recs in records.items():
        if recs[0].parent and recs[0].parent != code:
            children[recs[0].parent].append(code)
    gz.children = dict(children)

    forms: dict[str, list[Form]] = defaultdict(list)

    def add(surface: str, div: Division, kind: str) -> None:
        if surface and not any(f.division is div for f in forms[surface]):
            forms[surface].append(Form(div, kind))

    blocked = set(data["blocked_short_names"])
    autonomy = data["autonomy_forms"]
    for recs in records.values():
        for d in recs:
            if d.kind in ("placeholder", "pseudo_county"):
                continue
            add(d.name, d, "full")
            if d.kind == "stat_zone":
                continue
            for short in {d.short, strip_suffix(d.name)}:
                if short and short not in blocked and short != d.name:
                    add(short, d, "short")
                    for suf, one in autonomy.items():
                        if d.name.endswith(suf):
                            add(short + one, d, "autonomy")
    for name in MANUAL_FORMS:
        for r in _read_tsv(directory / name):
            d = gz.get(r["code"])
            if d is None:
                raise ValueError(f"{directory / name}: unknown code {r['code']} for {r['alias']}: "
                                 "give a code of divisions.tsv")
            add(r["alias"], d, "alias")
    gz.forms = dict(forms)

    gz.towns_path = directory / "towns.tsv"
    return gz
