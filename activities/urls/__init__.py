"""The working pages of activities, distributions, assets and the money trail.

One module per area (activity, distribution, asset, money), each with its own ``urlpatterns``;
one namespace for all of them.
"""

from activities.urls import activity, asset, distribution, money

app_name = "activities"
urlpatterns = [
    *activity.urlpatterns,
    *distribution.urlpatterns,
    *asset.urlpatterns,
    *money.urlpatterns,
]
