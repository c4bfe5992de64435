"""Delivery: a built report -> an email to its readers (message, smtp) or paper (printing).

Every command here gets its PDF from `report.build.build_input`, so what is mailed or printed is
byte for byte what `report build` writes. Nothing in this package imports reportlab or matplotlib
at module level: `report validate` stays fast.
"""
