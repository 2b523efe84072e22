"""``python -m pipeline`` is the same program as ``policy-ie``."""

from pipeline.cli import main

main()
