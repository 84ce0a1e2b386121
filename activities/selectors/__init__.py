"""Selectors of the working pages, one module per area.

Areas: activity, distribution, asset, money, delivered (what reached households, read by every
report). The case-file sections are in activities.case_file.
"""
