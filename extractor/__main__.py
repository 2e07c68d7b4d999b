"""python -m extractor: the same as the kpi-extract command."""

from .cli import main

main()
