"""The staff admin for activities, distributions, assets, grants and the money trail.

Every write goes through activities.services (see core.admin.services.ServiceAdmin).
"""

from activities.admin import activity, assets, distribution, money

__all__ = ["activity", "assets", "distribution", "money"]
