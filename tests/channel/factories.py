"""Factories of the channel's rows (kept beside its tests; tests/factories is shared)."""

import datetime
import io

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from PIL import Image

from channel.models import (
    Delivery,
    ImageState,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    Subscription,
)
from outreach.models import ReportLink
from tests.factories import AssetFactory, PartnerFactory, PartnershipFactory, UserFactory


def jpeg_bytes(size=(40, 30), color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    partnership = factory.SubFactory(PartnershipFactory)
    audience = Post.Audience.PARTNERSHIP
    title = factory.Sequence(lambda n: f"Tin hoạt động {n}")
    body = "Đoàn đã trao quà cho các hộ khó khăn của xã."


class PostPhotoFactory(DjangoModelFactory):
    """A processed photo (its copies in place), consented unless told otherwise."""

    class Meta:
        model = PostPhoto

    post = factory.SubFactory(PostFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="anh.jpg"))
    display = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="anh.jpg"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="anh.jpg"))
    state = ImageState.READY
    consent_to_publish = True
    caption = "Trao quà"


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory, email=factory.Sequence(lambda n: f"u{n}@example.vn"))
    frequency = Subscription.Frequency.IMMEDIATE


class DeliveryFactory(DjangoModelFactory):
    class Meta:
        model = Delivery

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)


class PublicFaultReportFactory(DjangoModelFactory):
    class Meta:
        model = PublicFaultReport

    asset = factory.SubFactory(AssetFactory)
    what = "Đèn không sáng vào ban đêm"
    phone = "0912 345 678"


def _report_link():
    return ReportLink.objects.create(partner=PartnerFactory(), expires_on=datetime.date(2099, 1, 1))


class ReportLinkCodeFactory(DjangoModelFactory):
    class Meta:
        model = ReportLinkCode

    link = factory.LazyFunction(_report_link)


def notice_builders() -> dict:
    """One row of each model of the notices, for the admin's registry tests."""
    import uuid

    from django.utils import timezone

    from channel import models as cm
    from tests.factories import HouseholdFactory, MemberFactory, ReceiptFactory, UserFactory

    def notice():
        return cm.Notice.objects.create(
            kind="receipt",
            key=f"receipt:{uuid.uuid4().hex}",
            household=HouseholdFactory(phone="0912345678"),
            phone="84912345678",
            text="Gia đình đã nhận quà.",
            created_by=UserFactory(),
        )

    def follower():
        return cm.ZaloFollower.objects.create(
            zalo_user_id=uuid.uuid4().hex[:20],
            display_name="Ma Văn Páo",
            member=MemberFactory(),
            linked_by=UserFactory(),
            linked_at=timezone.now(),
        )

    def message():
        follower_row = follower()
        return cm.InboundMessage.objects.create(
            message_id=uuid.uuid4().hex,
            event_name="user_send_text",
            sender_id=follower_row.zalo_user_id,
            follower=follower_row,
            household=follower_row.member.household,
            text="Có ạ",
            handled_by=UserFactory(),
        )

    counter = iter(range(1, 10_000))

    return {
        cm.Notice: notice,
        cm.NoticeAttempt: lambda: cm.NoticeAttempt.objects.create(
            notice=notice(), channel="zns", provider_message_id=uuid.uuid4().hex
        ),
        cm.NotifyPreference: lambda: cm.NotifyPreference.objects.create(
            user=UserFactory(), phone="84912345678", channel="sms"
        ),
        cm.ZaloConnection: lambda: cm.ZaloConnection.objects.get_or_create(
            pk=cm.ZaloConnection.PK, defaults={"access_token": "a", "refresh_token": "r"}
        )[0],
        cm.ZaloTemplate: lambda: cm.ZaloTemplate.objects.create(
            template_id=uuid.uuid4().hex[:12], name="Mẫu báo nhận", status="ENABLE"
        ),
        cm.ZaloFollower: follower,
        cm.QuotaDay: lambda: cm.QuotaDay.objects.create(
            channel="sms",
            day=datetime.date(2026, 1, 1) + datetime.timedelta(days=next(counter)),
            used=3,
        ),
        cm.InboundMessage: message,
        cm.ReceiptCheck: lambda: cm.ReceiptCheck.objects.create(
            receipt=ReceiptFactory(), notice=notice(), message=message(), outcome="received"
        ),
    }
