"""The indicator catalogue and engine: every figure defined once, over SSD tables only."""
