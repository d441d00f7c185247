"""Every write to records goes through an action: one transaction, an acting user, and an
audit event with before and after values. Import actions from their area's module."""
