"""The domain: people, the child's journey and the workforce.

Models live in `records.models`; every write goes through `records.actions`.
"""
