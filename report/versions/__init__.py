"""An input's git history -> what changed since the last update, probability history, version id.

Imports stay light (no reportlab, no matplotlib): `report diff` and `report new` must start fast.
"""
