"""The one-folder bundle's entry point (PyInstaller runs this file as ``recoverydesk``)."""

from recoverydesk.launch import main

raise SystemExit(main())
