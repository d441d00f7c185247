"""The one place that decides who may see which child's records.

Every query for protected records starts from `policy.visible_people(user)` (lists) or
`policy.access_person` / `policy.access_record` (one record): a record the user may not see
is "not found", exactly as one that does not exist.
"""
