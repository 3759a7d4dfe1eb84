"""`python -m tests.fakecloud <package> [engine address]`: run one fakecloud plugin (a test double)."""

from __future__ import annotations

import sys

from tests.fakecloud.server import main

sys.exit(main())
