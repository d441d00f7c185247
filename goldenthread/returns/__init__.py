"""Statutory returns built from SSD tables: SSDA903, CIN census, Annex A, DfE API payload, CSWW."""
