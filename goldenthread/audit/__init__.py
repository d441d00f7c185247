"""The append-only trail of every change, view, search and export of personal data."""
