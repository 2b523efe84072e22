"""bench/dedupe_memory.py: both indexes find the same copies of its synthetic archive."""

from bench.dedupe_memory import one


def test_both_indexes_find_the_same_copies_and_the_figures_are_sane() -> None:
    memory, disk = one("memory", 600), one("disk", 600)
    assert memory["copies"] == disk["copies"] > 0
    assert disk["n"] == 600 and int(disk["peak_kb"]) >= int(disk["growth_kb"]) >= 0
