"""Entry point of ``python -m atlantico``; see :mod:`atlantico.cli`."""

import sys

from atlantico.cli import main

sys.exit(main())
