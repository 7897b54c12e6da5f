import sys

from imbal_core.cli import main

sys.exit(main())
