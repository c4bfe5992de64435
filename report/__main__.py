"""`python -m report` runs the command-line interface."""

import sys

from report.cli import main

sys.exit(main())
