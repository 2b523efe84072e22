"""``python -m policy_ie.pipeline`` is the same program as ``policy-ie``."""

from policy_ie.pipeline.cli import main

main()
