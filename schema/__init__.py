"""Data, not code: the input format's JSON Schema, installed as report.schema."""
