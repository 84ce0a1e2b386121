"""Keep the derived columns in sync (search text, policy family); no business rule lives here."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from households.models import Household, Member
from households.search import household_search_text


@receiver(pre_save, sender=Household)
def _household_search_text(sender, instance: Household, **kwargs) -> None:
    instance.search_text = household_search_text(instance)


@receiver([post_save, post_delete], sender=Member)
def _member_changes_search_text(sender, instance: Member, **kwargs) -> None:
    household = Household.objects.filter(pk=instance.household_id).first()
    if household is None:
        return
    changed = {}
    text = household_search_text(household)
    if text != household.search_text:
        changed["search_text"] = text
    policy = household.members.exclude(policy_category="").exists()
    if policy != household.policy_family:
        changed["policy_family"] = policy
    if changed:
        Household.objects.filter(pk=household.pk).update(**changed)
