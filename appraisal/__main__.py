"""`python -m appraisal`: the command line."""

from .cli import main

raise SystemExit(main())
