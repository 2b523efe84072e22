"""Option values converted without pydantic equal typer's own conversion; the rest go to typer."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.core
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import ArgumentInfo, OptionInfo

from policy_ie.pipeline import cli_coerce
from policy_ie.pipeline.cli_coerce import MISS, _plain


class Colour(enum.StrEnum):
    red = "red"
    blue = "blue"


def _typers_own(value: Any, annotation: Any, info: Any) -> Any:
    """typer's own conversion (pydantic), or the exception it raises."""
    runtime = build_runtime_param(resolve_type_descriptor(annotation, info))
    try:
        return runtime._coerce_value(value, param=None, ctx=None)
    except Exception as exc:
        return type(exc)


CASES = [
    (int, OptionInfo()), (int, OptionInfo(min=0)), (int, OptionInfo(min=1, max=8)),
    (float, OptionInfo()), (float, OptionInfo(min=0)), (str, OptionInfo()), (Colour, OptionInfo()),
    (Path, OptionInfo()), (list[Path], ArgumentInfo()), (Path, OptionInfo(exists=True)),
]
VALUES = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789-+. eE_xq/")), max_size=12),
    st.sampled_from(["red", "RED", "blue", "green", "0", "-1", "600.0", "1e3", " 5", "5 ", "", "/", "-"]),
    st.integers(-5, 5), st.floats(allow_nan=False, min_value=-5, max_value=1e6), st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(range(len(CASES))), VALUES)
def test_a_value_converted_here_is_what_typer_gives(case: int, value: Any) -> None:
    annotation, info = CASES[case]
    mine = _plain(value, annotation, info, None, None)
    if mine is MISS:
        return
    theirs = _typers_own(value, annotation, info)
    assert mine == theirs and type(mine) is type(theirs)


def test_plain_values_are_converted_here_and_bad_ones_left_to_typer(tmp_path: Path) -> None:
    assert _plain("12", int, OptionInfo(min=0), None, None) == 12
    assert _plain("0.5", float, OptionInfo(), None, None) == 0.5
    assert _plain("blue", Colour, OptionInfo(), None, None) is Colour.blue
    assert _plain(["a.txt", str(tmp_path)], list[Path], ArgumentInfo(), None, None) == [Path("a.txt"), tmp_path]
    for value, annotation, info in [("x", int, OptionInfo()), ("-1", int, OptionInfo(min=0)),
                                    ("1e3", float, OptionInfo()), ("green", Colour, OptionInfo()),
                                    (str(tmp_path / "absent"), Path, OptionInfo(exists=True)),
                                    ("3", int, OptionInfo(min=5, clamp=True))]:
        assert _plain(value, annotation, info, None, None) is MISS, (value, annotation)


def test_typers_errors_are_unchanged() -> None:
    from typer.testing import CliRunner

    app = typer.Typer()

    @app.command()
    def go(jobs: int = typer.Option(1, "--jobs", min=0), colour: Colour = Colour.red) -> None:
        typer.echo(f"{jobs} {colour.value}")

    assert cli_coerce.install()
    runner = CliRunner()
    assert runner.invoke(app, ["--jobs", "3", "--colour", "blue"]).output == "3 blue\n"
    bad = runner.invoke(app, ["--jobs", "-2"])
    assert bad.exit_code == 2 and "greater than or equal to 0" in bad.output
    bad = runner.invoke(app, ["--colour", "green"])
    assert bad.exit_code == 2 and "'green' is not one of" in bad.output


def test_install_wraps_once_and_leaves_a_typer_without_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_coerce.install() and cli_coerce.install()
    wrapped = typer.core.build_runtime_param
    assert getattr(wrapped, "_plain_first", False)
    monkeypatch.delattr(typer.core, "build_runtime_param")
    assert cli_coerce.install() is False
