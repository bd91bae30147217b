import sys

from handbook.cli.main import main

sys.exit(main())
