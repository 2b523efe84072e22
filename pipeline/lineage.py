"""Names and enclosing divisions of division codes, from the gazetteer, for the comparison's rows.

:mod:`pipeline.aggregate` names each row and fills its hierarchy columns (the province, city
and county a region lies in or is) with these, each code looked up once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

from policy_ie.extractors.gazetteer import load as load_gazetteer

#: The divisions below a province whose names and codes a comparison row gives.
HIERARCHY_LEVELS = ("city", "county")
#: A division code -> its name, level and province's name (None for each it cannot tell).
Resolver = Callable[[str], tuple[str | None, str | None, str | None]]
#: A division code -> the (name, code) of the province, city and county it lies in (or is).
Lineage = Callable[[str], dict[str, tuple[str, str]]]


def gazetteer_resolver() -> Resolver | None:
    """Names of division codes from the gazetteer (None when its files cannot be read).

    A town or village the division lists lack still gets its province from its code."""
    lineage = gazetteer_lineage()
    if lineage is None:
        return None
    gz = load_gazetteer()

    def resolve(code: str) -> tuple[str | None, str | None, str | None]:
        d = gz.get(code)
        prov = lineage(code).get("province")
        return (d.name if d else None), (d.level if d else None), (prov[0] if prov else None)

    return resolve


@cache
def gazetteer_lineage() -> Lineage | None:
    """The province, city and county (name, code) of division codes, from the gazetteer (None
    when its files cannot be read); each code's looked up once, for the names and the columns."""
    try:
        gz = load_gazetteer()
    except (OSError, ValueError):
        return None

    @lru_cache(maxsize=1 << 16)  # regions of a table: thousands, never the whole gazetteer
    def lineage(code: str) -> dict[str, tuple[str, str]]:
        return {lv: (d.name, d.code) for lv, d in gz.hierarchy(code).items()
                if d is not None and lv in ("province", *HIERARCHY_LEVELS)}

    return lineage
