"""RecoveryDesk: a local-first companion for runners coming back from lower back pain."""

__version__ = "0.2.0"
