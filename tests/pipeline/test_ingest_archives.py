"""Archive formats: compressed JSONL, CSV and TSV, parquet, standard input; each gives the
same article as the same record in JSONL, and each kind of broken archive is a warning that
names the file and record while the rest goes on."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from typer.testing import CliRunner

from policy_ie.pipeline.cli import app
from policy_ie.pipeline.ingest import iter_documents, list_inputs
from policy_ie.pipeline.ingest.counts import record_total

runner = CliRunner()
ROWS = [
    {"id": "sl-1", "title": "商洛脱贫攻坚", "date": "2019-10-17", "outlet": "陕西日报", "url": "http://x/1",
     "authors": "李小龙", "text": "商洛市七个县区均为国家级贫困县，贫困人口48.9万。"},
    {"content": "岚皋县今年投入扶贫资金1.2亿元，帮扶贫困户3200户。", "published": "2020年5月3日",
     "source": "安康日报"},
]


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def table_text(rows: list[dict], delimiter: str = ",") -> str:
    columns = sorted({k for r in rows for k in r})
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(path: Path, rows: list[dict]) -> Path:
    """``rows`` in the format that ``path``'s name says."""
    name = path.name
    if name.endswith(".jsonl.gz"):
        path.write_bytes(gzip.compress(jsonl_bytes(rows)))
    elif name.endswith(".jsonl.zst"):
        path.write_bytes(zstandard.ZstdCompressor().compress(jsonl_bytes(rows)))
    elif name.endswith(".jsonl"):
        path.write_bytes(jsonl_bytes(rows))
    elif name.endswith((".csv", ".tsv")):
        path.write_text(table_text(rows, "\t" if name.endswith(".tsv") else ","), encoding="utf-8")
    elif name.endswith(".parquet"):
        columns = sorted({k for r in rows for k in r})
        pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in columns}), path)
    return path


def essence(doc) -> tuple:
    return doc.id, doc.text, doc.meta, doc.warnings


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.jsonl.zst", "a.csv", "a.tsv", "a.parquet"])
def test_every_format_gives_the_articles_of_the_same_jsonl(tmp_path: Path, name: str) -> None:
    (tmp_path / "j").mkdir()
    (tmp_path / "f").mkdir()
    expected = list(iter_documents([write(tmp_path / "j" / "a.jsonl", ROWS)]))
    got = list(iter_documents([write(tmp_path / "f" / name, ROWS)]))
    first = expected[0]
    assert (first.meta.title, first.meta.published, first.meta.authors) == ("商洛脱贫攻坚", "2019-10-17", ["李小龙"])
    if name.endswith((".csv", ".tsv")):  # a row's default id is the line it starts on, after the header
        assert got[1].id == "a:3"
        got[1].id = expected[1].id
    assert [essence(d) for d in got] == [essence(d) for d in expected]
    assert record_total(list_inputs([tmp_path / "f" / name])) == 2


def test_a_folder_reads_every_format_and_names_the_file_of_unknown_kind(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl.gz", ROWS[:1])
    write(tmp_path / "b.csv", ROWS[1:])
    (tmp_path / "c.xlsx").write_bytes(b"PK")
    a, b, c = iter_documents([tmp_path])
    assert (a.id, b.id) == ("sl-1", "b:2") and not a.warnings and not b.warnings
    assert c.text == "" and "c.xlsx: skipped: unknown kind of file '.xlsx'" in c.warnings[0]


def test_a_truncated_gzip_keeps_the_lines_before_and_names_the_line(tmp_path: Path) -> None:
    rows = [{"id": f"n{i}", "text": f"第{i}篇：贫困人口{i}万。" + "扶贫" * (i % 7)} for i in range(3000)]
    data = gzip.compress(jsonl_bytes(rows))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[:len(data) // 2])
    write(tmp_path / "next.jsonl", ROWS[:1])
    out = list(iter_documents([tmp_path]))
    broken = [d for d in out if d.warnings]
    assert len(broken) == 1 and 0 < len(out) - 2 < 3000
    assert broken[0].warnings[0].startswith(f"{tmp_path / 'cut.jsonl.gz'}:{len(out) - 1}: skipped with the rest")
    assert "cut short or corrupt" in broken[0].warnings[0]
    assert out[-1].id == "sl-1"  # the next file is read


def test_a_truncated_zstd_archive_is_a_warning_not_a_quiet_end(tmp_path: Path) -> None:
    rows = [{"id": f"n{i}", "text": f"第{i}篇。" * (i % 5 + 1)} for i in range(2000)]
    data = zstandard.ZstdCompressor().compress(jsonl_bytes(rows))
    (tmp_path / "cut.jsonl.zst").write_bytes(data[:len(data) // 2])
    out = list(iter_documents([tmp_path / "cut.jsonl.zst"]))
    assert len(out) < 2000 and "cut short or corrupt" in out[-1].warnings[0]


def test_a_csv_without_a_text_column_is_one_warning_naming_its_columns(tmp_path: Path) -> None:
    p = tmp_path / "meta.csv"
    p.write_text("id,title,body\n1,标题,正文\n", encoding="utf-8")
    (doc,) = iter_documents([p])
    assert doc.text == "" and doc.warnings == [
        f"{p}: skipped: no 'text' (or 'content') column (its columns: 'id', 'title', 'body'); "
        "name the column of the article text 'text'"]


def test_a_bad_csv_row_is_a_warning_with_its_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("id,text\n1,正文一。\n2,\n\n3,\"正文\n三。\"\n4,正文四。\n", encoding="utf-8")
    out = list(iter_documents([p]))
    assert [d.id for d in out] == ["1", "2", "3", "4"]
    assert out[1].warnings[0].startswith(f"{p}:3: skipped: no 'text'")
    assert out[2].text == "正文\n三。" and out[3].text == "正文四。"


def test_a_corrupt_parquet_file_is_one_warning(tmp_path: Path) -> None:
    p = write(tmp_path / "t.parquet", ROWS)
    p.write_bytes(p.read_bytes()[:40])
    (doc,) = iter_documents([p])
    assert doc.text == "" and doc.warnings[0].startswith(f"{p}:row 1: skipped with the rest of the file")


def test_parquet_dates_and_a_table_without_text(tmp_path: Path) -> None:
    import datetime as dt

    p = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": ["正文。"], "date": [dt.date(2019, 10, 17)]}), p)
    (doc,) = iter_documents([p])
    assert doc.meta.published == "2019-10-17" and doc.id == "d:1"
    pq.write_table(pa.table({"id": ["1"]}), p)
    (doc,) = iter_documents([p])
    assert "no 'text' (or 'content') column (its columns: 'id')" in doc.warnings[0]


def _metrics_by_id(stdout: str) -> dict[str, list]:
    recs = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return {r["id"]: [r["metrics"], r["regions"], r["dates"], r["programmes"]] for r in recs}


def test_the_seeds_give_the_same_metrics_in_every_format_and_on_stdin(seeds_dir: Path, tmp_path: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    rows = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in seeds]
    res = runner.invoke(app, ["extract", str(seeds_dir), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    expected = _metrics_by_id(res.stdout)
    assert len(expected) == 5 and any(m for m, *_ in expected.values())
    for name in ("seeds.jsonl", "seeds.jsonl.gz", "seeds.jsonl.zst", "seeds.csv", "seeds.parquet"):
        res = runner.invoke(app, ["extract", str(write(tmp_path / name, rows)), "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        assert _metrics_by_id(res.stdout) == expected, name
    res = runner.invoke(app, ["extract", "-", "--format", "jsonl"], input=jsonl_bytes(rows))
    assert res.exit_code == 0, res.output
    assert _metrics_by_id(res.stdout) == expected


def test_stdin_is_counted_as_unknown_and_named_in_warnings(tmp_path: Path) -> None:
    files = list_inputs(["-"])
    assert files[0].shown == "<stdin>" and record_total(files) is None
    res = runner.invoke(app, ["extract", "-", "--format", "jsonl"], input=b'{"id": "x"}\nnot json\n')
    assert "<stdin>:1: skipped" in res.output and "<stdin>:2: skipped: not valid JSON" in res.output


def write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> Path:
    """A WARC file of response records (url, content type, body), gzip per record for ``.warc.gz``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, ctype, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


PAGE = ("<html><head><title>商洛脱贫攻坚</title><meta name='publishdate' content='2019-10-17'></head>"
        "<body><nav>首页</nav><article><p>商洛市七个县区均为国家级贫困县，贫困人口48.9万。</p></article></body></html>")


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz"])
def test_warc_html_responses_read_like_the_html_page(tmp_path: Path, name: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (expected,) = iter_documents([page])
    p = write_warc(tmp_path / name, [("http://x/1", "image/png", b"\x89PNG"),
                                     ("http://x/2", "text/html; charset=utf-8", PAGE.encode("utf-8")),
                                     ("http://x/3", "application/pdf", b"%PDF")])
    (doc,) = iter_documents([p])
    assert doc.text == expected.text and doc.id == "a:2"
    assert (doc.meta.title, doc.meta.published, doc.meta.url) == (
        expected.meta.title, expected.meta.published, "http://x/2")
    assert doc.warnings == [f"{p}: 2 responses that are not HTML pages skipped"]
    assert record_total(list_inputs([p])) == 1


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_a_warc_record_cut_short_keeps_the_records_before(tmp_path: Path, name: str) -> None:
    body = PAGE.encode("utf-8")
    p = write_warc(tmp_path / name, [(f"http://x/{i}", "text/html", body) for i in range(3)])
    data = p.read_bytes()
    p.write_bytes(data[:len(data) - 200])
    out = list(iter_documents([p]))
    assert [d.id for d in out[:2]] == ["cut:1", "cut:2"] and out[0].text
    assert out[-1].text == "" and out[-1].warnings[0].startswith(f"{p}:record 3: skipped with the rest")


def test_the_seeds_as_html_pages_in_a_warc_give_the_metrics_of_the_txt_files(seeds_dir: Path,
                                                                            tmp_path: Path) -> None:
    import html

    seeds = sorted(seeds_dir.glob("*.txt"))
    pages = []
    for p in seeds:
        body = "".join(f"<p>{html.escape(line)}</p>\n" for line in p.read_text(encoding="utf-8").splitlines())
        pages.append((f"http://x/{p.stem}", "text/html; charset=utf-8",
                      f"<html><body><article>{body}</article></body></html>".encode()))
    res = runner.invoke(app, ["extract", str(seeds_dir), "--format", "jsonl"])
    expected = [[(m["metric"], m["value"]) for m in ms] for ms, *_ in _metrics_by_id(res.stdout).values()]
    res = runner.invoke(app, ["extract", str(write_warc(tmp_path / "seeds.warc.gz", pages)), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    got = [[(m["metric"], m["value"]) for m in ms] for ms, *_ in _metrics_by_id(res.stdout).values()]
    assert got == expected
