"""The synthetic local authority: a journey simulator calibrated to published figures.

No real child's data may build, test or demonstrate goldenthread; this package makes a
whole authority instead and writes it through the records model's own validation.
"""
