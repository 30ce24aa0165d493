"""PyInstaller entry point: the same `sipsight` command as the pip-installed one."""

import sys

from sipsight.launcher import main

if __name__ == "__main__":
    sys.exit(main())
