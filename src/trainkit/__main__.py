from __future__ import annotations

import sys

from trainkit.cli import main

sys.exit(main())
