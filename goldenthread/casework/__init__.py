"""Case work over the records, read through access: my work, the case summary, the
chronology, finding a person."""
