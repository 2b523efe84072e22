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
from dataclasses import dataclass, fields
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
    #: run in every pipeline, also one that names only some extractors (the article's
    #: metadata: the record has a title and a date whatever else is asked for)
    always: bool = False


REGISTRY: dict[str, Extractor] = {}


def register(name: str, assigns: str, requires: tuple[str, ...] = (),
             always: bool = False) -> Callable[[ExtractFn], ExtractFn]:
    """Decorator: register ``func`` as extractor ``name`` filling ``doc.<assigns>``."""

    def deco(func: ExtractFn) -> ExtractFn:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"extractor {name!r} is registered twice")
        REGISTRY[name] = Extractor(name, assigns, func, tuple(requires), always)
        return func

    return deco


def load_all() -> None:
    """Import every module and package beside this one so that each registers itself."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__package__}.{info.name}")


class RegistryError(ValueError):
    """The registered extractors do not fit together: a developer's mistake, found at start-up."""


def check(registry: dict[str, Extractor] | None = None) -> None:
    """Raise :class:`RegistryError` when an extractor requires one that is not registered,
    assigns a field the Document does not have, or assigns a field another one assigns too.

    Run when the pipeline is put together, so that a misspelt name fails the run at once
    instead of leaving a field empty, article after article."""
    registry = REGISTRY if registry is None else registry
    document_fields = {f.name for f in fields(Document)}
    assigned: dict[str, str] = {}
    for ex in sorted(registry.values(), key=lambda e: e.name):
        unknown = [r for r in ex.requires if r not in registry]
        if unknown:
            raise RegistryError(f"extractor {ex.name!r} requires {', '.join(map(repr, unknown))}, which no "
                                f"module registers; known: {', '.join(sorted(registry))}")
        if ex.assigns not in document_fields:
            raise RegistryError(f"extractor {ex.name!r} assigns {ex.assigns!r}, which is not a field of "
                                f"Document ({', '.join(sorted(document_fields))})")
        if ex.assigns in assigned:
            raise RegistryError(f"extractors {assigned[ex.assigns]!r} and {ex.name!r} both assign {ex.assigns!r}")
        assigned[ex.assigns] = ex.name


def ordered(names: list[str] | None = None) -> list[Extractor]:
    """Registered extractors (or the named ones) in an order that satisfies ``requires``;
    the registry is checked first (:func:`check`)."""
    load_all()
    check()
    wanted = sorted(REGISTRY) if names is None else [*names, *(n for n, e in REGISTRY.items() if e.always)]
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
            visit(r, (*stack, n))
        seen.add(n)
        done.append(REGISTRY[n])

    for n in sorted(wanted):
        visit(n, ())
    return done
