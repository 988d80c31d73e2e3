"""Content shipped as data: the plan, red-flag texts, exercises and illustrations."""
