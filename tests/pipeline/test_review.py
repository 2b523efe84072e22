"""``policy-ie review`` and ``build --reviews``: build, review, reject, rebuild; stale verdicts;
a malformed verdicts file stops the build before anything is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ie.pipeline.cli import app
from policy_ie.pipeline.review import REVIEW_COLUMNS

runner = CliRunner()

ONE = "汉阴县扎实推进脱贫攻坚\n  本报讯 2018年，汉阴县共有贫困人口12000人，贫困村2500个，全县投入扶贫资金3.5亿元。\n"
TWO = "汉阴县召开脱贫攻坚推进会\n  会议指出，2019年汉阴县贫困人口减少到9000人，投入扶贫资金4亿元。\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "hy-1.txt").write_text(ONE, "utf-8")
    (src / "hy-2.txt").write_text(TWO, "utf-8")
    return src


def _build(src: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["build", "--input", str(src), "--output", str(out), "--jobs", "1", *extra])


def _table(out: Path) -> dict[str, str]:
    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        return next(csv.DictReader(fh))


def _review(out: Path, *extra: str) -> list[dict[str, str]]:
    res = runner.invoke(app, ["review", "--output", str(out), *extra])
    assert res.exit_code == 0, res.stderr
    return list(csv.DictReader(io.StringIO(res.stdout)))


def test_build_review_reject_rebuild_then_edit_makes_the_verdict_stale(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(corpus, out).exit_code == 0
    row = _table(out)
    assert (row["poor_population"], row["poor_population_review"]) == ("9000", "conflict;single")
    assert row["poor_villages"] == "" and row["poor_villages_review"] == "implausible"  # 2500 for a county
    listed = _review(out)
    assert list(listed[0]) == list(REVIEW_COLUMNS)
    pop = next(r for r in listed if r["column"] == "poor_population")
    assert (pop["value"], pop["year"], pop["article_id"], pop["reasons"], pop["verdict"]) == (
        "9000", "2019", "hy-2", "conflict;single", "")
    mention = TWO[int(pop["start"]):int(pop["end"])]
    assert mention in pop["sentence"] and "9000" in mention
    villages = next(r for r in listed if r["column"] == "poor_villages")
    assert villages["reasons"].startswith("implausible: 2500 above 1000 for a county")
    assert [r["column"] for r in _review(out, "--reason", "implausible")] == ["poor_villages"]

    reviews = tmp_path / "reviews.csv"
    pop["verdict"], pop["note"] = "reject", "a plan, not a count"
    with reviews.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, REVIEW_COLUMNS)
        w.writeheader()
        w.writerows(listed)
    res = _build(corpus, out, "--reviews", str(reviews))
    assert res.exit_code == 0, res.stderr
    assert "1 verdicts, 0 stale" in res.stderr and "stale verdict" not in res.stderr
    row = _table(out)
    assert row["poor_population"] == "12000" and row["poor_population_review"] == "single"  # 9000 is gone
    with (out / "comparison_sources.csv").open(encoding="utf-8") as fh:
        checks = {(s["column"], s["value"]): s["check"] for s in csv.DictReader(fh)}
    assert checks["poor_population", "9000"] == "rejected"
    # the review file written again keeps the verdict though the value is no longer shown
    res = runner.invoke(app, ["review", "--output", str(out), "--out", str(reviews)])
    assert res.exit_code == 0, res.stderr
    with reviews.open(encoding="utf-8") as fh:
        kept = [r for r in csv.DictReader(fh) if r["verdict"]]
    assert [(r["value"], r["verdict"], r["note"]) for r in kept] == [("9000", "reject", "a plan, not a count")]

    (corpus / "hy-2.txt").write_text(TWO.replace("会议指出，", "会议指出：今年"), "utf-8")  # offsets move
    res = _build(corpus, out, "--reviews", str(reviews))
    assert res.exit_code == 0, res.stderr
    assert f"stale verdict: {reviews}, line" in res.stderr and "reject of 9000 (poor_population)" in res.stderr
    assert "1 verdicts, 1 stale" in res.stderr
    assert _table(out)["poor_population"] == "9000"  # no verdict applies to it any more


def test_an_accepted_implausible_value_is_back_in_every_output(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(corpus, out).exit_code == 0
    villages = next(r for r in _review(out) if r["column"] == "poor_villages")
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("article_id,start,end,value,verdict\n"
                       f"{villages['article_id']},{villages['start']},{villages['end']},2500,accept\n", "utf-8")
    assert _build(corpus, out, "--reviews", str(reviews)).exit_code == 0
    row = _table(out)
    assert (row["poor_villages"], row["poor_villages_review"]) == ("2500", "single;accepted")
    assert "single;accepted" in (out / "comparison.md").read_text("utf-8")
    assert 'class="num checked"' in (out / "report.html").read_text("utf-8")
    assert all(r["column"] != "poor_villages" for r in _review(out))  # accepted: no second look
    shown = runner.invoke(app, ["compare", "--output", str(out), "--metric", "poor_villages"]).stdout
    assert "2,500 (2018) ✓" in shown and "accepted by a reviewer" in shown
    shown = runner.invoke(app, ["compare", "--output", str(out), "--metric", "poor_population"]).stdout
    assert "9,000 †2 (2019) ?" in shown  # a conflict: to review


def test_a_malformed_verdicts_file_stops_the_build_and_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("article_id,start,end,value,verdict\nhy-1,3,9,12000,maybe\n", "utf-8")
    res = _build(corpus, out, "--reviews", str(reviews))
    assert res.exit_code == 2
    assert f"{reviews}, line 2: verdict 'maybe' is neither accept nor reject" in res.stderr
    assert "nothing was built" in res.stderr and not out.exists()
    assert _build(corpus, out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    reviews.write_text("article_id,start,value,verdict\n", "utf-8")
    res = _build(corpus, out, "--reviews", str(reviews), "--force")
    assert res.exit_code == 2 and "line 1: no column end" in res.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    res = runner.invoke(app, ["review", "--output", str(out), "--out", str(reviews)])
    assert res.exit_code == 2 and "nothing was written" in res.stderr
    assert reviews.read_text("utf-8") == "article_id,start,value,verdict\n"


def test_review_of_a_folder_without_a_build_or_with_an_unknown_reason(tmp_path: Path) -> None:
    res = runner.invoke(app, ["review", "--output", str(tmp_path)])
    assert res.exit_code == 2 and "policy-ie build --output" in res.stderr
    res = runner.invoke(app, ["review", "--output", str(tmp_path), "--reason", "odd"])
    assert res.exit_code == 2 and "unknown reason(s) odd" in res.stderr
