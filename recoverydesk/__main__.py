from recoverydesk.launch import main

raise SystemExit(main())
