"""The AT-SPI probe: every shipped form shown on X11 (Xvfb) and read back by a real AT-SPI
client, as Orca reads it (tests/ui/test_atspi_tree.py)."""
