from recoverydesk.cli import main

raise SystemExit(main())
