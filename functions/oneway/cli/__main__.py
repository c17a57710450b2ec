"""python -m oneway.cli ... (the same as the `oneway` console script)."""

import sys

from .main import main

sys.exit(main())
