"""The one-folder bundle's entry point (PyInstaller runs this file as ``recoverydesk``)."""

from recoverydesk.cli import main

raise SystemExit(main())
