"""Selectors of the working pages, one module per area.

Areas: activity, distribution, asset, money, case_file.
"""
