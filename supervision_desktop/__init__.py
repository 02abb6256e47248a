"""Supervision Desktop: offline, encrypted supervision records for children's social care."""

__version__ = "0.1.0"
