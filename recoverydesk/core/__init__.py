"""Pure Python: the data model, the phase engine and the figures. Never imports Qt."""
