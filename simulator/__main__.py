"""``python -m simulator``: the command line, for when the ``simulator`` script is not on PATH."""

from simulator.cli import main

raise SystemExit(main())
