"""``python -m ocp_client.cli``: the ``ocp-backup`` command."""

import sys

from .app import main

sys.exit(main())
