"""The registry is checked when the pipeline is put together, not article by article."""

from __future__ import annotations

import pytest

from policy_ie.extractors.registry import REGISTRY, Extractor, RegistryError, check, load_all, ordered
from policy_ie.text.document import Document


def _none(doc: Document) -> list:
    return []


@pytest.fixture(scope="module")
def registry() -> dict[str, Extractor]:
    load_all()
    return dict(REGISTRY)


def test_the_shipped_extractors_fit_together(registry: dict[str, Extractor]) -> None:
    check(registry)
    names = [ex.name for ex in ordered()]
    assert names.index("dates") < names.index("regions") < names.index("article_region") < names.index("metrics")


def test_an_unknown_requirement_is_an_error_naming_both(registry: dict[str, Extractor]) -> None:
    bad = {**registry, "x": Extractor("x", "people", _none, ("regoins",))}
    del bad["people"]
    with pytest.raises(RegistryError, match=r"'x' requires 'regoins'"):
        check(bad)


def test_assigning_a_field_the_document_lacks_is_an_error(registry: dict[str, Extractor]) -> None:
    with pytest.raises(RegistryError, match=r"'x' assigns 'programmez'"):
        check({**registry, "x": Extractor("x", "programmez", _none)})


def test_two_extractors_assigning_one_field_is_an_error(registry: dict[str, Extractor]) -> None:
    with pytest.raises(RegistryError, match=r"both assign 'programmes'"):
        check({**registry, "x": Extractor("x", "programmes", _none)})


def test_ordered_checks_before_it_orders(monkeypatch: pytest.MonkeyPatch) -> None:
    load_all()
    monkeypatch.setitem(REGISTRY, "x", Extractor("x", "warnings", _none, ("nothing",)))
    with pytest.raises(RegistryError):
        ordered()


def test_metadata_is_an_extractor_that_runs_first_and_always() -> None:
    names = [ex.name for ex in ordered()]
    assert names[0] == "metadata"
    assert [ex.name for ex in ordered(["people"])] == ["metadata", "people"]
    for reader in ("dates", "regions", "article_region", "programmes"):  # they read the title or date
        assert "metadata" in REGISTRY[reader].requires
