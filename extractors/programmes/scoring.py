"""Rules: the score of a quoted candidate, from the features of its name and its context.

Each feature found adds its weight (``feature_weights`` of ``data/programmes.yaml``) to the
score and its reason (``"numeric+2"``) to the candidate's reasons; a candidate scoring
``keep_score`` or more is a programme.
The clause test, the last feature and the only one that segments words, may be left pending
by a lazy scoring where the score is already too low for it to matter (:func:`settle`
applies it when something reads the reasons).
"""

from __future__ import annotations

from policy_ie.extractors.programmes.candidate import Candidate
from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.memo import clause_of, shape_of


def score(c: Candidate, text: str, data: ProgrammeData, lazy: bool = False) -> None:
    """Score a quoted candidate from its own shape and its context.

    ``lazy``: leave the clause test (the last feature, of a weight not above 0) pending when
    the score is already below ``keep_score``, where it cannot decide whether the candidate
    is kept; :func:`settle` applies it when something reads the reasons.
    """
    name = c.name
    sh = shape_of(name, data)
    c.parts = list(sh.parts)
    found: list[str] = []
    if sh.numeric:
        found.append("numeric")
    if sh.plus:
        found.append("plus")
    if c.kind_strength == "strong":
        found.append("kind")
    elif c.kind_strength == "frame" and (sh.numeric or sh.plus or sh.is_enum):
        found.append("frame")
    if (c.kind is None and data.implement_end.search(text, max(0, c.start - 2), c.start)
            and (text[c.end:c.end + 1] in data.raw["implement_after"]
                 or data.implement_field.match(text, c.end))):
        found.append("implement")  # 推行“红黑榜”，/ 开展“链条式”扶贫: brought in as a programme
    if sh.suffix is not None:
        found.append("suffix")
        if c.kind is None:
            c.kind, c.kind_strength = sh.suffix, "suffix"
    if sh.field:
        found.append("field")
    if sh.is_enum:
        found.append("enum" if sh.enum_short else "long-parts")
    elif sh.long:
        found.append("long")
    if data.trigger_end.search(text, max(0, c.start - 4), c.start):
        found.append("trigger")
    if sh.catch:
        found.append("catch")
    if (c.kind_strength != "strong" or c.modifier) and sh.person:
        found.append("person")
    if len(name) <= 1:
        found.append("single")
    weights, reasons = data.weights, data.reasons
    for k in found:
        c.score += weights[k]
        c.reasons.append(reasons[k])
    if sh.clause_test:
        if lazy and c.score < data.keep_score:
            c.clause_pending = True
        else:
            _apply_clause(c, data)


def score_list(members: list[Candidate], text: str, data: ProgrammeData) -> None:
    """Quotes side by side that a trigger verb brings in as one list (全面实施“茅草房改造”和
    “造福工程”搬迁): when one of them is a programme by its own features, the verb brings in
    the others too, each weighed as listed with a programme (``list``) and as brought in by
    the verb (``trigger``, which before only the first of them had). Negative features
    (a catch-phrase, a title of a person, a single character, a clause) still count: 打通
    “最后一公里”和“造福工程” keeps only the second."""
    if len(members) < 2 or not any(c.score >= data.keep_score for c in members):
        return  # (quotes with nothing inside are no members)
    first = members[0]
    if not data.trigger_end.search(text, max(0, first.start - 4), first.start):
        return
    trigger, listed = data.reasons["trigger"], data.reasons["list"]
    for c in members:
        if c.score >= data.keep_score:
            continue
        c.score += data.weights["list"]
        c.reasons.append(listed)
        if trigger not in c.reasons:
            c.score += data.weights["trigger"]
            c.reasons.append(trigger)
        if c.score >= data.keep_score:
            settle(c, data)  # (lazy scoring may have left the clause test for later)


def settle(c: Candidate, data: ProgrammeData) -> None:
    """Apply the clause test that a lazy scoring left for later (the score and reasons
    become what eager scoring gives)."""
    if c.clause_pending:
        c.clause_pending = False
        _apply_clause(c, data)


def _apply_clause(c: Candidate, data: ProgrammeData) -> None:
    if clause_of(c.name, data):
        c.score += data.weights["clause"]
        c.reasons.append(data.reasons["clause"])
