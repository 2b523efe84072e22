"""The ``policy-ie`` command line (typer): extract, build.

Exit status (:data:`EXIT_STATUS`, shown by ``--help``): 0 when every input was read, 1 when
some inputs were skipped (their records carry a warning and the count is said on stderr),
2 for usage errors (typer's own, a missing input path, an output folder that cannot be
written), 3 when the command failed (an error, not an input: for ``build``, the previous
dataset is left as it was). A script can tell a partial success (1) from a failure (3).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from policy_ie.pipeline.cli_coerce import install as _plain_values_first
from policy_ie.pipeline.ingest import InputError, InputFile, iter_documents, list_inputs
from policy_ie.pipeline.ingest.streams import STDIN
from policy_ie.pipeline.options import DEFAULT_MAX_BYTES, DEFAULT_SEGMENTER, ENGINES, SEGMENTERS, Options, default_jobs
from policy_ie.pipeline.verdicts import Verdicts
from policy_ie.pipeline.write import FolderBusy, check_writable, lock_folder, record_line
from policy_ie.text.document import Document

# typer checks option values with pydantic; plainly valid ones are converted without it
_plain_values_first()

if TYPE_CHECKING:
    from policy_ie.pipeline.codebook import Provenance
    from policy_ie.pipeline.dataset import DatasetSummary
    from policy_ie.pipeline.partitioned import Part

# pipeline.run (the extractors, the gazetteer, numpy) is imported where articles are processed:
# a build found up to date never loads it.

#: What each exit status means (the help text shows it; scripts may rely on it).
EXIT_STATUS = ("Exit status: 0 every input was read; 1 some inputs were skipped (each with a warning "
               "on stderr and in its record); 2 usage error; 3 the command failed (build: nothing "
               "replaced, the previous dataset is left as it was).")
EXIT_READ, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3

app = typer.Typer(
    help="Extract sourced facts (metrics, programmes, dates, regions) from Chinese policy "
    "news and build a cross-region comparison dataset.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def say(message: str) -> None:
    """A line for the user on stderr (never wrapped, so it can be grepped)."""
    err.print(message, markup=False)


class Format(StrEnum):
    """Output formats of ``extract``."""

    jsonl = "jsonl"
    table = "table"


def _version() -> str:
    try:
        return version("policy-ie")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"policy-ie {_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    version_: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                           help="Print the version and exit.")] = False,
) -> None:
    """policy-ie: Chinese policy news to a sourced cross-region dataset."""


class Tally:
    """Counts inputs read and skipped, and reports warnings on stderr as they come."""

    def __init__(self) -> None:
        self.read = 0
        self.skipped = 0

    def watch(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.warnings and not doc.text:
                self.skipped += 1
            else:
                self.read += 1
            for w in doc.warnings:
                say(f"warning: {w}")
            yield doc

    def finish(self) -> int:
        if not self.read and not self.skipped:  # an empty folder, or one of other kinds of files only
            say("no article found in the inputs: give .txt, .html, .jsonl(.gz/.zst), .csv, .tsv, .parquet "
                "or .warc(.gz) files, or folders that hold them")
            return EXIT_SKIPPED
        if self.skipped:
            say(f"{self.skipped} of {self.read + self.skipped} inputs skipped (see the "
                "warnings above); their records carry the reason.")
            return EXIT_SKIPPED
        return EXIT_READ


def _progress(docs: Iterable[Document], files: list[InputFile], label: str) -> Iterator[Document]:
    """A progress bar on stderr when it is a terminal, its total the records of ``files``; silent otherwise."""
    if not err.is_terminal:
        yield from docs
        return
    from policy_ie.pipeline.ingest.counts import record_total  # reads the readers' modules: only for a bar

    total = record_total(files)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        for doc in docs:
            yield doc
            bar.advance(task)


def _inputs(paths: list[Path]) -> list[InputFile]:
    """The input files under ``paths``; a missing path is a usage error (exit status 2)."""
    try:
        return list_inputs(list(paths))
    except InputError as exc:
        say(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _failed(exc: BaseException, what: str) -> typer.Exit:
    """Say on stderr why the command failed (the traceback, then one line to grep); exit status 3."""
    say("".join(traceback.format_exception(exc)).rstrip())
    say(f"error: {what} failed ({type(exc).__name__}: {exc}); please report it with the lines above")
    return typer.Exit(EXIT_FAILED)


def _documents(paths: list[Path], max_bytes: int, options: Options, jobs: int, tally: Tally, label: str,
               files: list[InputFile] | None = None, **run_args: object) -> Iterator[Document]:
    files = files if files is not None else _inputs(paths)
    from policy_ie.text import pattern_cache

    pattern_cache.install()  # before the extractors load and compile their patterns
    from policy_ie.pipeline.run import run

    docs = iter_documents(list(paths), max_bytes, files=files)
    return _progress(tally.watch(run(docs, options, jobs, **run_args)), files, label)  # type: ignore[arg-type]


def _check_engine(name: str) -> str:
    if name not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}")
    return name


def _check_segmenter(name: str) -> str:
    if name not in SEGMENTERS:
        raise typer.BadParameter(f"choose one of {', '.join(SEGMENTERS)}")
    return name


JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes (0: all cores).")]
EngineOpt = Annotated[str, typer.Option("--engine", callback=_check_engine,
                                        help="processes (this machine; local when --jobs 1) or dask "
                                        "(a dask.distributed cluster: --scheduler, else a local one).")]
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", help="With --engine dask: the "
                                                  "scheduler address, e.g. tcp://10.0.0.5:8786.")]
DedupeOpt = Annotated[bool, typer.Option("--dedupe/--no-dedupe", help="Mark near-duplicate articles "
                                         "(syndicated copies) duplicate_of their first copy.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", min=1,
                                          help="Skip (with a warning) articles larger than this.")]
#: Seconds one article may take before it is skipped with a warning: generous (an article of
#: 100 kB takes well under a second), a guard against input that stalls an extractor.
DEFAULT_TIME_LIMIT = 600.0
TimeLimitOpt = Annotated[float, typer.Option("--time-limit", min=0,
                                             help="Skip (with a warning) an article whose processing takes "
                                             "longer than this many seconds (0: no limit).")]
SegOpt = Annotated[str, typer.Option("--segmenter", callback=_check_segmenter,
                                     help=f"Word segmenter: {', '.join(SEGMENTERS)}.")]


@app.command(epilog=EXIT_STATUS)
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .html, .jsonl, .jsonl.gz, "
                                                ".jsonl.zst, .csv, .tsv, .parquet); - for JSONL on standard input.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="jsonl: one article record per "
                                        "line; table: a summary for a person.")] = Format.jsonl,
    jobs: JobsOpt = 0,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    segmenter: SegOpt = DEFAULT_SEGMENTER,
    engine: EngineOpt = "processes",
    scheduler: SchedulerOpt = None,
    dedupe: DedupeOpt = True,
    time_limit: TimeLimitOpt = DEFAULT_TIME_LIMIT,
) -> None:
    """Print one JSON article record per article on stdout, in input order."""
    tally = Tally()
    jobs = jobs or default_jobs()
    docs = _documents(paths, max_bytes, Options(segmenter=segmenter), jobs, tally, "extracting",
                      engine=_engine_for(engine, jobs), scheduler=scheduler, dedupe=dedupe,
                      time_limit=time_limit or None)
    try:
        if fmt is Format.jsonl:
            out = sys.stdout
            for doc in docs:
                out.write(record_line(doc.to_record()))
                out.flush()
        else:
            _print_table(docs)
    except Exception as exc:  # an error of ours, not of an input: say so and exit 3
        raise _failed(exc, "extract") from exc
    raise typer.Exit(tally.finish())


def _print_table(docs: Iterable[Document]) -> None:
    from rich.table import Table

    table = Table("id", "title", "published", "outlet", "region", "metrics", "programmes",
                  "dates", "regions", "warnings", show_lines=False)
    for d in docs:
        table.add_row(d.id, d.meta.title or "", d.meta.published or "", d.meta.outlet or "",
                      d.region.name if d.region else "", str(len(d.metrics)),
                      str(len(d.programmes)), str(len(d.dates)), str(len(d.regions)),
                      str(len(d.warnings)))
    _stdout_console().print(table)


def _stdout_console() -> Console:
    """The terminal, or a wide virtual one when stdout is a file or a pipe (no folding of tables)."""
    out = Console()
    return out if out.is_terminal else Console(width=240)


@app.command(epilog=EXIT_STATUS)
def build(
    input_: Annotated[list[Path], typer.Option("--input", "-i", help="Corpus files or folders.")] = [Path("corpora")],  # noqa: B006
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder.")] = Path("outputs"),
    jobs: JobsOpt = 0,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    segmenter: SegOpt = DEFAULT_SEGMENTER,
    engine: EngineOpt = "processes",
    scheduler: SchedulerOpt = None,
    dedupe: DedupeOpt = True,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Where processed articles are "
                                                   "kept for the next build (default OUTPUT/.cache).")] = None,
    use_cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse articles processed by "
                                            "this version of the pipeline.")] = True,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when nothing changed since the "
                                        "last build of OUTPUT.")] = False,
    time_limit: TimeLimitOpt = DEFAULT_TIME_LIMIT,
    reviews: Annotated[Path | None, typer.Option("--reviews", help="A reviewer's verdicts (CSV written by "
                                                 "`policy-ie review`, its verdict column filled with accept "
                                                 "or reject) to apply to the comparison.")] = None,
    all_topics: Annotated[bool, typer.Option("--all-topics", help="Let articles off the topic "
                                             "(score below extractors/data/topic.yaml's threshold) "
                                             "feed the comparison and panel too.")] = False,
) -> None:
    """Run the whole batch and write the dataset (articles.jsonl, ...) to OUTPUT."""
    verdicts = _verdicts(reviews)
    try:
        check_writable(output)
    except OSError as exc:
        say(f"error: cannot write to the output folder {output}: {exc.strerror}; "
            "choose another with --output or fix its permissions")
        raise typer.Exit(EXIT_USAGE) from exc
    files = _inputs(list(input_))
    try:
        with lock_folder(output) as litter:
            if litter:
                say(f"removed {len(litter)} temporary files a killed build left in {output}")
            code = _build(files, input_, output, jobs, max_bytes, Options(segmenter=segmenter), engine,
                          scheduler, dedupe, cache_dir, use_cache, force, time_limit or None, verdicts,
                          all_topics)
    except FolderBusy as exc:  # nothing done: the other build's dataset will be whole
        say(f"error: {exc}")
        raise typer.Exit(EXIT_FAILED) from exc
    except Exception as exc:  # an error of ours, not of an input: the old dataset stays
        raise _failed(exc, f"the build of {output}") from exc
    raise typer.Exit(code)


def _build(files: list[InputFile], input_: list[Path], output: Path, jobs: int, max_bytes: int,
           options: Options, engine: str, scheduler: str | None, dedupe: bool, cache_dir: Path | None,
           use_cache: bool, force: bool, time_limit: float | None, verdicts: Verdicts | None = None,
           all_topics: bool = False) -> int:
    """The work of ``build`` once its arguments are checked; returns the exit status."""
    from policy_ie.pipeline import stamp  # the heavy modules load only when there is work to do

    # files that will be skipped are never opened (a FIFO would hang the stamp's reading);
    # their names and reasons still key the build, so a fixed input is read next time
    settings = {"options": options.key(), "dedupe": dedupe, "max_bytes": max_bytes,
                "skipped": [f.skip for f in files if f.skip is not None], "time_limit": time_limit,
                "all_topics": all_topics}
    if verdicts is not None:  # other verdicts, another comparison (no key change without them)
        settings["reviews"] = sorted([*k, v.verdict] for k, v in verdicts.by_key.items())
    paths = [f.path for f in files if f.skip is None]
    key = stamp.build_key(paths, settings)
    prior = None if force else stamp.read(output)
    content = None
    if prior is not None and prior.key != key:  # times changed: the bytes decide
        content = stamp.content_key(paths, settings)
        if content == prior.content:
            stamp.remember(output, key, content, [output / name for name in prior.files], prior.summary,
                           prior.exit_code)
        else:
            prior = None
    if prior is not None:
        say(f"{output} is up to date: no input, option or pipeline file changed since its last build "
            f"({prior.summary}); --force rebuilds it")
        return prior.exit_code
    stamp.forget(output)
    content = content or stamp.content_key(paths, settings)  # before the build: inputs may change during it
    from policy_ie.pipeline.cache import Cache
    from policy_ie.pipeline.codebook import provenance
    from policy_ie.pipeline.dataset import write_dataset
    from policy_ie.pipeline.run import RunStats

    tally = Tally()
    jobs = jobs or default_jobs()
    prov = provenance([os.fspath(p) for p in input_], {"options": options.key(), "dedupe": dedupe,
                                                      "max_bytes": max_bytes, "time_limit": time_limit})
    if engine == "dask" and all(f.path != STDIN for f in files):
        return _build_distributed(files, output, jobs, max_bytes, options, scheduler, dedupe, time_limit, tally,
                                  key, content, prov, verdicts, all_topics)
    if engine == "processes" and jobs > 1 and all(f.path != STDIN for f in files):
        from policy_ie.pipeline import pooled

        parts = pooled.partitions(files, jobs)
        if parts is not None:  # else too few articles, or one archive: the article-by-article pool
            return _build_pooled(files, parts, output, jobs, max_bytes, options, dedupe, time_limit, tally, key,
                                 content, prov, verdicts, all_topics, (cache_dir or output / ".cache")
                                 if use_cache else None)
    cache = Cache(cache_dir or output / ".cache") if use_cache else None
    stats = RunStats()
    docs = _documents(list(input_), max_bytes, options, jobs, tally, "building", files=files,
                      engine=_engine_for(engine, jobs), scheduler=scheduler, dedupe=dedupe,
                      cache_=cache, stats=stats, time_limit=time_limit)
    try:
        summary = write_dataset(docs, output, provenance=prov, verdicts=verdicts, all_topics=all_topics)
    finally:
        if cache is not None:
            cache.close()
            for w in cache.warnings:
                say(f"warning: {w}")
    return _finish(summary, verdicts, output, tally, (key, content),
                   f"{stats.processed} extracted, {stats.cached} from the cache, {stats.duplicates} near-duplicates")


def _finish(summary: DatasetSummary, verdicts: Verdicts | None, output: Path, tally: Tally,
            stamped: tuple[str, str], run: str) -> int:
    """The end of a build (either engine): its summary line, its exit status, and the stamp that
    lets the next build of the same inputs say it is up to date. ``stamped``: the build's key and
    content digest; ``run``: what the run did (extracted, cached, near-duplicates)."""
    from policy_ie.pipeline import stamp

    said, left_out = _built(summary, verdicts)
    say(f"wrote {said} to {output} ({run}; {left_out})")
    code = tally.finish()
    stamp.remember(output, *stamped, summary.files, f"{said}; {left_out}", code)
    return code


def _built(summary: DatasetSummary, verdicts: Verdicts | None) -> tuple[str, str]:
    """What a build wrote and what it left out of the table, for its summary line (either engine);
    warns of the stale verdicts."""
    from policy_ie.pipeline.dataset import scope_counts

    said = f"{summary.articles} articles, {summary.facts} facts and {summary.regions} comparison rows"
    left_out = f"{summary.unassigned_metrics} metrics without a region left out of the table"
    if summary.out_of_scope:
        left_out += (f", {sum(summary.out_of_scope.values())} of no region by their scope "
                     f"({scope_counts(summary.out_of_scope)})")
    if summary.off_topic:
        left_out += (f", and the figures of {summary.off_topic} article{'s' if summary.off_topic != 1 else ''} off "
                     "the topic (--all-topics keeps them)")
    for v in summary.stale:
        say(f"warning: stale verdict: {v.describe(verdicts.path if verdicts else '')}: that mention is not in "
            "the table (the article edited or gone, or now left out of the table as a near-duplicate or off the "
            "topic); review the cell again and correct or delete the line")
    if verdicts is not None:
        left_out += f"; {summary.verdicts} verdicts, {len(summary.stale)} stale"
    return said, left_out


def _build_distributed(files: list[InputFile], output: Path, jobs: int, max_bytes: int, options: Options,
                       scheduler: str | None, dedupe: bool, time_limit: float | None, tally: Tally,
                       key: str, content: str, prov: Provenance, verdicts: Verdicts | None,
                       all_topics: bool) -> int:
    """``build --engine dask``: the workers read, process and write; the client merges (pipeline.distributed)."""
    from policy_ie.pipeline.distributed import build, dask_client

    with dask_client(jobs, scheduler) as client:
        summary, run = build(files, output, client, options, max_bytes, dedupe, time_limit, provenance=prov,
                             verdicts=verdicts, all_topics=all_topics)
    for w in run.warnings:
        say(f"warning: {w}")
    tally.read, tally.skipped = run.read, run.skipped
    return _finish(summary, verdicts, output, tally, (key, content),
                   f"{run.processed} extracted, 0 from the cache, {run.duplicates} near-duplicates")


def _build_pooled(files: list[InputFile], parts: list[Part], output: Path, jobs: int, max_bytes: int,
                  options: Options, dedupe: bool, time_limit: float | None, tally: Tally, key: str, content: str,
                  prov: Provenance, verdicts: Verdicts | None, all_topics: bool, cache_dir: Path | None) -> int:
    """``build --jobs N``: the partitioned build on this machine's process pool (pipeline.pooled);
    the workers read and write the cache, this process opens it first only to heal it."""
    from policy_ie.pipeline.cache import Cache
    from policy_ie.pipeline.pooled import build

    warnings: list[str] = []
    if cache_dir is not None:
        cache_dir = cache_dir.resolve()
        healed = Cache(cache_dir)
        healed.close()
        warnings = healed.warnings

    def warn(w: str) -> None:
        say(f"warning: {w}")

    with _bar(files) as progress:
        summary, run = build(files, parts, output, jobs, options, max_bytes, dedupe, time_limit, provenance=prov,
                             verdicts=verdicts, all_topics=all_topics, cache_dir=cache_dir, say=warn,
                             progress=progress)
    for w in [*warnings, *run.warnings]:
        warn(w)
    tally.read, tally.skipped = run.read, run.skipped
    return _finish(summary, verdicts, output, tally, (key, content), f"{run.processed - run.cached} extracted, "
                   f"{run.cached} from the cache, {run.duplicates} near-duplicates")


@contextmanager
def _bar(files: list[InputFile]) -> Iterator[Callable[[str, int], None] | None]:
    """A progress bar on stderr when it is a terminal (None otherwise): ``advance(phase, n)``
    moves it on by n articles, from 0 again when the phase changes; its total the records of ``files``."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from policy_ie.pipeline.ingest.counts import record_total

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("building", total=record_total(files))
        phase = ["building"]

        def advance(label: str, n: int) -> None:
            if label != phase[0]:
                bar.reset(task, description=label)
                phase[0] = label
            bar.advance(task, n)

        yield advance


def _verdicts(path: Path | None) -> Verdicts | None:
    """The verdicts file of ``--reviews``, read before anything is written; a malformed one is a
    usage error (exit status 2) naming its file and line."""
    if path is None:
        return None
    from policy_ie.pipeline.verdicts import VerdictsError, read_verdicts

    try:
        return read_verdicts(path)
    except VerdictsError as exc:
        say(f"error: {exc}; nothing was built")
        raise typer.Exit(EXIT_USAGE) from exc


def _engine_for(engine: str, jobs: int) -> str:
    """``processes`` with one job is the local loop: no pool to start."""
    return "local" if engine == "processes" and jobs <= 1 else engine


@app.command("compare")
def compare_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder.")] = Path("outputs"),
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="A metric key (poor_population) "
                                               "or label (贫困人口).")] = None,
    region: Annotated[str | None, typer.Option("--region", "-r", help="Keep rows whose code, name or "
                                               "province contains this.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="year: the panel, a row per region, metric "
                                           "column and year.")] = None,
    all_topics: Annotated[bool, typer.Option("--all-topics", help="Re-aggregate facts.csv with the "
                                             "articles off the topic too.")] = False,
) -> None:
    """Print the cross-region comparison table of a built dataset (``--by year``: its panel)."""
    from policy_ie.pipeline.views import ViewError, compare, compare_by_year

    try:
        if by not in (None, "year"):
            raise ViewError(f"--by {by!r}: only 'year' is known")
        if by == "year":
            if all_topics:
                raise ViewError("--all-topics with --by year: the panel is the build's; rebuild with "
                                "`policy-ie build --all-topics` instead")
            compare_by_year(output, metric=metric, region=region, console=_stdout_console())
        else:
            compare(output, metric=metric, region=region, console=_stdout_console(), all_topics=all_topics)
    except ViewError as exc:
        say(f"error: {exc}")
        raise typer.Exit(2) from exc


@app.command("review")
def review_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder.")] = Path("outputs"),
    out: Annotated[Path | None, typer.Option("--out", help="Write the CSV to this file (default: standard "
                                             "output); verdicts already in it are kept.")] = None,
    reason: Annotated[list[str] | None, typer.Option("--reason", help="Only cells with this review code "
                                                     "(implausible, conflict, single, model, low_confidence); "
                                                     "repeat for several.")] = None,
) -> None:
    """Write the cells of a built dataset that need review as a CSV with an empty verdict column:
    fill it with accept or reject and rebuild with --reviews FILE."""
    from policy_ie.pipeline.cellcheck import REVIEW_CODES
    from policy_ie.pipeline.review import ReviewError, write_review

    try:
        text, n = write_review(output, out, reason or REVIEW_CODES)
    except ReviewError as exc:
        say(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    sys.stdout.write(text)
    if out is not None:
        say(f"wrote {n} values to review to {out}")


@app.command("show")
def show_cmd(
    article_id: Annotated[str, typer.Argument(help="An article id of articles.jsonl.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder.")] = Path("outputs"),
    input_: Annotated[list[Path] | None, typer.Option("--input", "-i", help="Folder(s) the build's "
                                                      "relative input paths start from.")] = None,
) -> None:
    """Print an article's text with its extracted mentions marked."""
    from policy_ie.pipeline.views import ViewError, show

    try:
        show(article_id, output, roots=input_ or [], console=_stdout_console())
    except ViewError as exc:
        say(f"error: {exc}")
        raise typer.Exit(2) from exc


@app.command("serve")
def serve_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder (built with policy-ie build).")]
    = Path("outputs"),
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
    = "127.0.0.1",
) -> None:
    """Browse and query a build in Datasette: policy_ie.sqlite, with its tables described, full-text
    search and canned queries (http://HOST:PORT/policy_ie)."""
    from policy_ie.pipeline.database import METADATA_NAME, NAME, write_metadata

    db = output / NAME
    if not db.is_file():
        say(f"error: {db} not found; run `policy-ie build --output {output}` first")
        raise typer.Exit(2)
    try:
        import datasette  # noqa: F401  (only to say what to install when it is missing)
    except ImportError:
        say("error: Datasette is not installed; install the extra: pip install 'policy-ie[datasette]'")
        raise typer.Exit(2) from None
    meta = output / METADATA_NAME if (output / METADATA_NAME).is_file() else write_metadata(output)
    cmd = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta),
           "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]
    say(f"serving {db} at http://{host}:{port}/policy_ie (Ctrl-C stops)")
    if (host, port) != ("127.0.0.1", 8001) and (output / "report.html").is_file():
        # the report's links of cells not embedded point at 127.0.0.1:8001 unless told otherwise
        page = (output / "report.html").resolve().as_uri()
        say(f"open the report as {page}?datasette=http://{host}:{port}/policy_ie so that its links come here")
    sys.stderr.flush()
    # this process becomes Datasette: a signal that stops it stops the server, none is left behind
    os.execv(sys.executable, cmd)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path | None, typer.Argument(metavar="GOLD", help="Gold file in the format of "
                                                "shared/gold/seeds.json.")] = None,
    inputs: Annotated[list[Path] | None, typer.Argument(metavar="INPUT", help="Article files or folders "
                                                        "to extract and score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    jobs: JobsOpt = 1,
    dev: Annotated[bool, typer.Option("--dev", help="Score the hand-labelled dev sets (tests/dev/*_dev.json, "
                                      "texts from the shared corpus) instead of GOLD INPUT...")] = False,
    dev_set: Annotated[str | None, typer.Option("--set", help="With --dev: only this dev set (metrics, "
                                                "regions, dates, programmes, ...).")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="With --dev: only this batch (tuning, "
                                              "blind, ...; all: the whole set).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="With --dev: each article's errors "
                                          "and the per-metric scores.")] = False,
    shared: Annotated[Path | None, typer.Option("--shared", help="With --dev: the shared folder holding "
                                                "corpus/news_sample.jsonl (default: ../shared beside the "
                                                "repository).")] = None,
) -> None:
    """Extract INPUT... and score it against GOLD: P/R/F1 per field and metric, article fields, confusion.

    With --dev: score the pipeline on the dev sets, per set, batch and field."""
    if dev:
        if gold is not None or inputs:
            say("error: eval --dev scores the dev sets: give either --dev or GOLD INPUT..., not both")
            raise typer.Exit(2)
        _eval_dev(dev_set, batch, verbose, shared, as_json, jobs or default_jobs())
        return
    if dev_set is not None or batch is not None or verbose or shared is not None:
        say("error: --set, --batch, --verbose and --shared go with --dev")
        raise typer.Exit(2)
    if gold is None or not inputs:
        say("error: give GOLD and at least one INPUT to score, or --dev for the dev sets")
        raise typer.Exit(2)
    from policy_ie.pipeline.evaluate import evaluate, format_report

    if not gold.is_file():
        say(f"error: {gold}: no such gold file")
        raise typer.Exit(2)
    result = evaluate(gold, list(inputs), jobs=jobs or default_jobs())
    sys.stdout.write((json.dumps(result, ensure_ascii=False, indent=1) if as_json
                      else format_report(result)) + "\n")


def _eval_dev(name: str | None, batch: str | None, verbose: bool, shared: Path | None, as_json: bool,
              jobs: int) -> None:
    """``eval --dev``: the dev-set scores on stdout; a set, batch or corpus not there is exit status 2."""
    from policy_ie.pipeline import dev_eval  # the pipeline loads only when there is work to do

    try:
        result = dev_eval.evaluate_dev(name, batch, shared or dev_eval.DEFAULT_SHARED, jobs)
    except dev_eval.DevEvalError as exc:
        say(f"error: {exc}")
        raise typer.Exit(2) from exc
    sys.stdout.write((dev_eval.format_dev_json(result, verbose) if as_json
                      else dev_eval.format_dev_report(result, verbose)) + "\n")


def main() -> None:
    """Console-script entry point: a command's own failure (compare, show, eval too) is status 3."""
    try:
        app()
    except Exception as exc:
        sys.exit(_failed(exc, "policy-ie").exit_code)
