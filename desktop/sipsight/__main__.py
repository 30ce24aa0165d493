import sys

from sipsight.launcher import main

sys.exit(main())
