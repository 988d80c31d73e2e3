"""Drawing on paper with QtGui only: no widgets, so the command line can print."""
