"""The only user of sqlite-utils: the store, its migrations and backups."""
