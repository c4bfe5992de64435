"""Imported by the fork server of `report build -j` when charts will be drawn: matplotlib and the
chart kinds, imported once for every worker instead of once in each (see report.charts.helper)."""

from report.charts.helper import warm

warm()
