"""The extractor registry: each extractor is a named function of a Document.

An extractor module declares itself with :func:`register`, naming the Document field it
assigns and the extractors whose output it reads (``requires``). The pipeline imports every
module of this package and runs the registered extractors in an order that respects
``requires`` (ties broken by name), so adding an extractor touches its own module, its
data file and its tests, never the orchestration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_ie.text.document import Document

ExtractFn = Callable[[Document], Any]


@dataclass(frozen=True, slots=True)
class Extractor:
    """A registered extractor: ``func(doc)`` returns the value for ``doc.<assigns>``."""

    name: str
    assigns: str
    func: ExtractFn
    requires: tuple[str, ...] = ()


REGISTRY: dict[str, Extractor] = {}


def register(name: str, assigns: str, requires: tuple[str, ...] = ()) -> Callable[[ExtractFn], ExtractFn]:
    """Decorator: register ``func`` as extractor ``name`` filling ``doc.<assigns>``."""

    def deco(func: ExtractFn) -> ExtractFn:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"extractor {name!r} is registered twice")
        REGISTRY[name] = Extractor(name, assigns, func, tuple(requires))
        return func

    return deco


def load_all() -> None:
    """Import every module and package beside this one so that each registers itself."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__package__}.{info.name}")


def ordered(names: list[str] | None = None) -> list[Extractor]:
    """Registered extractors (or the named ones) in an order that satisfies ``requires``."""
    load_all()
    wanted = sorted(REGISTRY) if names is None else list(names)
    for n in wanted:
        if n not in REGISTRY:
            raise KeyError(f"unknown extractor {n!r}; known: {', '.join(sorted(REGISTRY))}")
    done: list[Extractor] = []
    seen: set[str] = set()

    def visit(n: str, stack: tuple[str, ...]) -> None:
        if n in seen:
            return
        if n in stack:
            raise ValueError(f"extractors require each other in a cycle: {' -> '.join((*stack, n))}")
        for r in sorted(REGISTRY[n].requires):
            if r in REGISTRY:
                visit(r, (*stack, n))
        seen.add(n)
        done.append(REGISTRY[n])

    for n in sorted(wanted):
        visit(n, ())
    return done
