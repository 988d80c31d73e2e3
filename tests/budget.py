"""How hard the property tests and fuzzers try.

``make test`` runs the quick profile: every rule and every fuzz target still runs, with the
example counts written in the tests. ``make test-thorough`` (HYPOTHESIS_PROFILE=thorough)
runs ten times as many examples of each, for a deeper search before a release.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
SCALE = {"quick": 1, "thorough": 10}[PROFILE]

settings.register_profile("quick", deadline=None, print_blob=True)
settings.register_profile("thorough", deadline=None, print_blob=True, max_examples=1000)
settings.load_profile(PROFILE)


def examples(quick: int) -> int:
    """The number of examples a test runs: ``quick`` in `make test`, more when thorough."""
    return quick * SCALE
