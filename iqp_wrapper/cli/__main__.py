"""``python -m iqp_wrapper.cli``: the same as the ``iqp`` command."""

import sys

from iqp_wrapper.cli import main

sys.exit(main())
