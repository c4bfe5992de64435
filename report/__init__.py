"""Branded, print-ready research reports from YAML."""

__version__ = "0.1.0"
