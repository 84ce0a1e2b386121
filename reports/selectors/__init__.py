"""Reads for the reports: aggregates computed from the records, never typed in."""

from reports.selectors.dashboard_tables import (
    asset_figures,
    dashboard,
    improved_households,
    village_figures,
)
from reports.selectors.donor import (
    MAX_PHOTOS,
    PHOTO_SIZES,
    SMALL_GROUP,
    Delivered,
    DonationTrail,
    TimelineEvent,
    donation_totals,
    donor_partners,
    donor_timeline,
    funded_photo_get,
    funded_photo_list,
    funded_photos,
    household_count_label,
    money_trail,
)
from reports.selectors.figures import SupportRow, annual_report, year_summary

__all__ = [
    "MAX_PHOTOS",
    "PHOTO_SIZES",
    "SMALL_GROUP",
    "Delivered",
    "DonationTrail",
    "SupportRow",
    "TimelineEvent",
    "annual_report",
    "asset_figures",
    "dashboard",
    "donation_totals",
    "donor_partners",
    "donor_timeline",
    "funded_photo_get",
    "funded_photo_list",
    "funded_photos",
    "household_count_label",
    "improved_households",
    "money_trail",
    "village_figures",
    "year_summary",
]
