"""Command-line values checked without pydantic when they are plainly valid: a faster start.

typer (0.16 and later) checks and converts every option's value with a pydantic
``TypeAdapter``, built at the first value: a command that is given any option or argument
imports pydantic (0.15-0.25 s of CPU on the CI machine, about as much as Python and typer
starting), while ``policy-ie --version`` never does. :func:`install` wraps typer's builder
of those checks so that a value that is plainly valid is converted here, the way typer's
adapter converts it (a string of digits to an int, a path string to a ``Path`` checked by
typer's own path function, a choice by typer's own choice function), and anything else
(an invalid value, a bound not met, a type this module does not know) goes to typer's
adapter as before: its conversion and its error message are typer's own.
``tests/pipeline/test_cli_coerce.py`` checks that both ways give the same values, and that a
typer without the hook this wraps is left alone (only slower).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_INT = re.compile(r"-?[0-9]{1,18}")
_FLOAT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
#: what :func:`_plain` returns for a value it leaves to typer's adapter
MISS = object()


def _number(value: Any, annotation: type, info: Any) -> Any:
    """An int or float option's value, if plainly valid and within its bounds."""
    if getattr(info, "clamp", False):
        return MISS
    if type(value) is annotation:
        out = value
    elif isinstance(value, str) and (_INT if annotation is int else _FLOAT).fullmatch(value):
        out = annotation(value)
    else:
        return MISS
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if (low is not None and out < low) or (high is not None and out > high):
        return MISS
    return out


def _plain(value: Any, annotation: Any, info: Any, ctx: Any, param: Any) -> Any:
    """``value`` converted as typer's adapter would, or :data:`MISS`."""
    from typer import _param_types as pt

    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return MISS
    if get_origin(annotation) is list:
        if not isinstance(value, list | tuple):
            value = [value]
        (item,) = get_args(annotation)
        out = [_plain(v, item, info, ctx, param) for v in value]
        return MISS if any(o is MISS for o in out) else out
    if get_origin(annotation) is not None:
        return MISS
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return pt.coerce_cli_choice(value, choices=list(annotation),
                                        case_sensitive=info.case_sensitive, ctx=ctx)
        except Exception:
            return MISS
    if annotation is int or annotation is float:
        return _number(value, annotation, info)
    if annotation is str:
        return value if type(value) is str else MISS
    if annotation is bool:
        return value if type(value) is bool else MISS
    if annotation is Path and info.path_type in (None, Path) and pt.routes_to_path(annotation, info):
        if isinstance(value, str) and value:
            value = Path(value)
        if not isinstance(value, Path):
            return MISS
        try:  # typer's own checks (exists, file_okay, ...), given a Path: no pydantic there
            return pt.coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
        except Exception:
            return MISS
    return MISS


def _runtime_param_class() -> type:
    """A typer ``RuntimeParam`` that tries :func:`_plain` first, then typer's own."""
    from typer._coercion import RuntimeParam

    @dataclass(frozen=True)
    class PlainFirst(RuntimeParam):  # type: ignore[misc]
        """Converts plainly valid values itself; the rest go to typer's ``RuntimeParam``."""

        descriptor: Any = None
        typers_own: Callable[[Any], Any] | None = None
        _built: list[Any] = field(default_factory=list)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            out = _plain(value, self.annotation, self.parameter_info, ctx, param)
            if out is not MISS:
                return out
            if not self._built:
                assert self.typers_own is not None
                self._built.append(self.typers_own(self.descriptor))
            return self._built[0]._coerce_value(value, param=param, ctx=ctx)

    return PlainFirst


def install() -> bool:
    """Wrap typer's builder of value checks (once); False if this typer has no such hook."""
    import typer.core

    own = getattr(typer.core, "build_runtime_param", None)
    if own is None or getattr(own, "_plain_first", False):
        return own is not None
    try:
        cls = _runtime_param_class()
    except ImportError:
        return False

    def build(descriptor: Any) -> Any:
        if getattr(descriptor, "file_annotation", None) is not None:
            return own(descriptor)
        return cls(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                   descriptor=descriptor, typers_own=own)

    build._plain_first = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build
    return True
