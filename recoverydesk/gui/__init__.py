"""The only user of PySide6 and pyqtgraph."""
