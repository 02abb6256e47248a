"""The bundle's entry point: the same composition root as ``python -m supervision_desktop``."""

import sys

from supervision_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
