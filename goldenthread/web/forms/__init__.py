"""Forms for recording a child's journey: one machinery (form.py, fields.py), the steps
declared once each (journey.py, care.py), and what may be changed afterwards (edits.py)."""
