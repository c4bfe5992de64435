"""Data, not code: the built-in brands and the `report init` starter, installed as report.assets."""
