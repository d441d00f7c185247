"""Thin views and GOV.UK Design System templates; no business logic."""
