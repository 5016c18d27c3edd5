"""``python -m graph`` is the same as the ``regelgraf`` command."""

from graph.cli import main

main()
