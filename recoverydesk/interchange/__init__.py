"""Files in and out: activity files, CSV/JSON interchange."""
