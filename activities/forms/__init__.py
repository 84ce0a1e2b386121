"""Forms of the working pages, one module per area.

Areas: activity, distribution, asset, money (the case-file sections are in activities.case_file).
"""
