"""``python -m jointmission`` runs the command line (the same as the ``jointmission`` command)."""

from jointmission.cli.main import main

raise SystemExit(main())
