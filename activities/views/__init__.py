"""Views of the working pages, one module per area: activity, distribution, asset, money, case_file."""
