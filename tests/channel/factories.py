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
