import sys

from sipsight.cli.main import main

sys.exit(main())
