"""DfE code lists per collection year, the England working-day calendar, statutory timescales."""
