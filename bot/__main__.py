"""`python -m bot` is the same as the `necdigest` command."""

import sys

from bot.cli import main

sys.exit(main())
