"""`python -m conformance` is `pim-conformance`."""

from conformance.cli import main

raise SystemExit(main())
