"""The Today view's fixed words, in a module that imports nothing: the view builds its
labels from them before the core is loaded (``recoverydesk/first_frame.py``), and
``today_face.py`` works out the day's texts with them."""

GATE_RULES = ("G1", "G2", "G3", "G4", "G5")
GATE_TITLES = {
    "G1": "Days in this phase",
    "G2": "Three logged days in a row",
    "G3": "Pain low enough",
    "G4": "Pain not rising",
    "G5": "Activity",
}

BANNER_TITLES = {
    "emergency": "Seek care now — the plan is paused",
    "urgent": "See a doctor today — the plan is paused",
    "soon": "Book a GP or physiotherapist — the plan is paused",
    "screen": "The plan is paused: please see a GP or physiotherapist",
    "hold": "Running waits for a clinician's check",
}
"""The banner's title for each tier of §4, a screen's pause and a hold (§4.1)."""

NO_EPISODE_SUMMARY = (
    "There is no recovery episode in this data folder yet. Begin one with the first-run "
    "setup (it opens when you start RecoveryDesk), or from the command line with "
    "<tt>recoverydesk start --date YYYY-MM-DD</tt>. Choose <i>Explore with demo "
    "data</i> to look around an eight-week example first.")
NO_EPISODE_PRESCRIPTION = (
    "Once an episode has begun, this page shows what today asks of you, how your pain is "
    "doing, and when you can move on.")


def dismissed_key(notice_id: str) -> str:
    """The setting that keeps a dismissed notice away for good."""
    return f"notice_dismissed.{notice_id}"
