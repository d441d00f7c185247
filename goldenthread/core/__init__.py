"""Shared building blocks: base models, declarative integrity rules, identifiers.

Imports only `goldenthread.reference` and Django; never a domain app.
"""
