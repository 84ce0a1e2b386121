"""What the working pages show beyond the figures: photos, families' concerns, a verification
round, news subscriptions and the office's public profile."""

import datetime

from django.core.files.base import ContentFile

from activities.models import Distribution, Photo, Verification, VerificationRound
from activities.services import activity_photos_add, verification_record, verification_round_start
from channel.models import SiteProfile, Subscription
from channel.services import site_profile_update, subscription_set
from demo import data
from demo.builders import households as builders
from demo.builders.pictures import picture
from households.models import Concern, Household
from households.services import concern_record, concern_update


class PageSteps:
    """Ensure what the working pages show once the figures exist."""

    def photos(self) -> None:
        """Give the main activities a drawn picture each, through the photo service (checked,
        stripped and resized like any upload)."""
        have = set(
            Photo.objects.filter(activity__partnership=self.partnership).values_list(
                "activity_id", "caption"
            )
        )
        for seed, (key, photos) in enumerate(data.PHOTOS.items()):
            activity = self.activity[key]
            for caption, consent, scene in photos:
                if (activity.pk, caption) in have:
                    continue
                activity_photos_add(
                    actor=self.staff,
                    activity=activity,
                    files=[ContentFile(picture(scene, seed), name=f"{key}.jpg")],
                    caption=caption,
                    credit=data.PHOTO_CREDIT,
                    consent=consent,
                )
                self.created["photos"] += 1

    def concerns(self) -> None:
        """Record what some families told the cadres, and the follow-up of one."""
        for index, kind, day, text, follow_up in data.CONCERNS:
            household = Household.objects.get(
                commune_id__in=self.household_communes, code=builders.household_code(index)
            )
            if Concern.objects.filter(household=household, text=text).exists():
                continue
            concern = concern_record(
                actor=self.cadre,
                household=household,
                kind=kind,
                raised_on=day,
                text=text,
                handled_by=self.cadre,
            )
            self.created["concerns"] += 1
            if follow_up:
                status, resolution = follow_up
                concern_update(
                    actor=self.cadre,
                    concern=concern,
                    status=status,
                    resolution=resolution,
                    handled_by=self.cadre,
                    resolved_on=day + datetime.timedelta(days=18),
                )

    def verification_2024(self) -> None:
        """Re-check a sample of the 2024 gifts at the door, as a cadre's visits would: most
        received, one with a problem, the last few not visited yet."""
        spec = data.GIFTS_2024_DISTRIBUTION
        distribution = Distribution.objects.get(
            partnership=self.partnership, title=spec["title"], distributed_on=spec["distributed_on"]
        )
        if VerificationRound.objects.filter(distribution=distribution).exists():
            return
        sample = verification_round_start(
            actor=self.staff,
            distribution=distribution,
            sample_percent=data.VERIFICATION_2024_PERCENT,
            note="Kiểm tra lại tại nhà sau đợt trao quà",
        )
        self.created["verification rounds"] += 1
        checks = list(Verification.objects.filter(round=sample).order_by("pk"))
        for number, verification in enumerate(checks[:-3]):
            problem = number == 0
            verification_record(
                actor=self.cadre,
                verification=verification,
                outcome=Verification.Outcome.PROBLEM if problem else Verification.Outcome.RECEIVED,
                note="Hộp bánh trong suất quà bị móp, gia đình vẫn dùng được." if problem else "",
            )

    def subscriptions(self) -> None:
        """The donor is told of each post about its funded work; the cadre gets a daily digest
        (the e-mails are printed to the console unless EMAIL_URL is set)."""
        have = set(Subscription.objects.values_list("user_id", flat=True))
        for username, frequency in data.SUBSCRIPTIONS:
            user = self.users[username]
            if user.pk not in have:
                subscription_set(actor=user, user=user, frequency=frequency)
                self.created["news subscriptions"] += 1

    def site_profile(self) -> None:
        """Fill in the office's public profile once: an administrator's later edits are kept."""
        if not SiteProfile.objects.exists():
            site_profile_update(actor=self.users["admin"], **data.SITE_PROFILE)
            self.created["site profiles"] += 1
