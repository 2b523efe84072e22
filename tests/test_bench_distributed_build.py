"""bench/distributed_build.py: the workers' peak RSS growth it prints is the largest worker's."""

from __future__ import annotations

from bench.distributed_build import workers_growth


def test_the_growth_is_that_of_the_largest_worker_at_each_size() -> None:
    a = {"n": 10000, "workers_peak_kb": [500 * 1024, 460 * 1024]}
    b = {"n": 100000, "workers_peak_kb": [470 * 1024, 510 * 1024]}
    line = workers_growth("dask", a, b)
    assert line == "dask: workers' peak RSS 460 / 500 MB at 10000, 470 / 510 MB at 100000: the largest +2.0%"
