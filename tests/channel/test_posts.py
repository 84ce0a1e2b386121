"""The bulletin: who reads which post, photos with consent, e-mails exactly once per subscriber."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from channel import background, services
from channel.models import Delivery, ImageState, Post, PostPhoto, Subscription
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.channel.factories import PostFactory, PostPhotoFactory, SubscriptionFactory, jpeg_bytes
from tests.factories import (
    DistributionFactory,
    DonationFactory,
    HouseholdFactory,
    PartnerFactory,
    PartnershipFactory,
    ReceiptFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _photo_with_gps() -> SimpleUploadedFile:
    picture = Image.new("RGB", (60, 40), (10, 200, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Điện thoại"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (22.0, 10.0, 5.0),
    }
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("nha-ong-lieu.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def gifts_2024(partnership):
    return DistributionFactory(partnership=partnership, title="Trao quà Tết 2024")


@pytest.fixture
def funded(partnership, donor_partner):
    return DonationFactory(partnership=partnership, partner=donor_partner)


@pytest.fixture
def donor_subscribed(donor_user):
    donor_user.email = "nha-tai-tro@example.vn"
    donor_user.save(update_fields=["email"])
    return SubscriptionFactory(user=donor_user)


def _post_data(partnership, **overrides) -> dict:
    data = {
        "partnership": partnership.pk,
        "title": "Trao quà Tết cho hộ nghèo",
        "body": "Đoàn đã trao 120 suất quà cho các hộ của xã.",
        "audience": Post.Audience.PARTNERSHIP,
    }
    data.update(overrides)
    return data


def test_a_post_with_a_photo_reaches_the_donor_once(
    client,
    staff_user,
    donor_user,
    partnership,
    gifts_2024,
    funded,
    donor_subscribed,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff_user)
    data = _post_data(
        partnership,
        audience=Post.Audience.PARTNER,
        partner=funded.partner_id,
        distribution=gifts_2024.pk,
        photo_caption="Trao quà ở thôn Bản Mới",
        photo_consent="on",
        photos=_photo_with_gps(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("channel:post-create"), data)
    post = Post.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("channel:post-detail", args=[post.pk])
    photo = post.photos.get()
    assert photo.state == ImageState.READY
    with Image.open(photo.image.path) as clean:
        assert not clean.getexif()  # the GPS position is gone
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nha-tai-tro@example.vn"]
    assert post.title in mailoutbox[0].subject
    assert reverse("channel:post-detail", args=[post.pk]) in mailoutbox[0].body

    client.force_login(donor_user)
    feed = client.get(reverse("channel:post-list"))
    assert [shown.pk for shown in feed.context["page_obj"]] == [post.pk]
    assert client.get(reverse("channel:post-photo", args=[photo.pk, "display"])).status_code == 200

    # A second run of the task (a retry, another worker) sends nothing more.
    assert background.post_notify(post_id=post.pk) == 0
    assert len(mailoutbox) == 1
    assert Delivery.objects.filter(post=post, user=donor_user).count() == 1


def test_a_donor_never_sees_another_donors_posts(client, donor_user, partnership, funded):
    other = DonationFactory(partnership=partnership)
    theirs = PostFactory(
        partnership=partnership, audience=Post.Audience.PARTNER, partner=other.partner
    )
    everyone = PostFactory(partnership=partnership)
    mine = PostFactory(
        partnership=partnership, audience=Post.Audience.PARTNER, partner=funded.partner
    )
    client.force_login(donor_user)
    feed = client.get(reverse("channel:post-list"))
    assert [post.pk for post in feed.context["page_obj"]] == [mine.pk]
    for hidden in (theirs, everyone):
        assert client.get(reverse("channel:post-detail", args=[hidden.pk])).status_code == 404


def test_a_cadre_reads_the_communes_posts_but_not_those_meant_for_a_donor(
    client, cadre_user, partnership, funded
):
    village = VillageFactory(commune=partnership.commune)
    whole = PostFactory(partnership=partnership)
    for_village = PostFactory(
        partnership=partnership, audience=Post.Audience.VILLAGE, village=village
    )
    for_donor = PostFactory(
        partnership=partnership, audience=Post.Audience.PARTNER, partner=funded.partner
    )
    elsewhere = PostFactory(partnership=PartnershipFactory())
    client.force_login(cadre_user)
    shown = {post.pk for post in client.get(reverse("channel:post-list")).context["page_obj"]}
    assert shown == {whole.pk, for_village.pk}
    assert client.get(reverse("channel:post-detail", args=[for_donor.pk])).status_code == 404
    assert client.get(reverse("channel:post-detail", args=[elsewhere.pk])).status_code == 404


def test_a_donor_sees_only_the_photos_people_agreed_to_show(
    client, staff_user, donor_user, partnership, funded
):
    post = PostFactory(
        partnership=partnership, audience=Post.Audience.PARTNER, partner=funded.partner
    )
    agreed = PostPhotoFactory(post=post)
    private = PostPhotoFactory(post=post, consent_to_publish=False)
    client.force_login(donor_user)
    page = client.get(reverse("channel:post-detail", args=[post.pk]))
    assert [photo.pk for photo in page.context["post"].shown_photos] == [agreed.pk]
    assert client.get(reverse("channel:post-photo", args=[private.pk, "thumb"])).status_code == 404
    client.force_login(staff_user)
    page = client.get(reverse("channel:post-detail", args=[post.pk]))
    assert len(page.context["post"].shown_photos) == 2
    assert client.get(reverse("channel:post-photo", args=[private.pk, "thumb"])).status_code == 200


def test_the_public_page_shows_no_personal_data_and_only_consented_photos(
    client, partnership, gifts_2024
):
    household = HouseholdFactory(village__commune=partnership.commune, head_name="Ma Đình Liệu")
    ReceiptFactory(distribution=gifts_2024, household=household)
    post = PostFactory(partnership=partnership, distribution=gifts_2024, is_public=True)
    agreed = PostPhotoFactory(post=post)
    private = PostPhotoFactory(post=post, consent_to_publish=False)
    response = client.get(reverse("channel:post-public", args=[post.short_code.lower()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert post.title in html
    assert household.head_name not in html
    assert household.code not in html
    assert reverse("channel:post-photo", args=[agreed.pk, "thumb"]) in html
    assert reverse("channel:post-photo", args=[private.pk, "thumb"]) not in html
    assert client.get(reverse("channel:post-photo", args=[agreed.pk, "thumb"])).status_code == 200
    assert client.get(reverse("channel:post-photo", args=[private.pk, "thumb"])).status_code == 404
    # Not public: no page, and its photos are nobody's without logging in.
    hidden = PostFactory(partnership=partnership)
    hidden_photo = PostPhotoFactory(post=hidden)
    assert client.get(reverse("channel:post-public", args=[hidden.short_code])).status_code == 404
    assert (
        client.get(reverse("channel:post-photo", args=[hidden_photo.pk, "thumb"])).status_code
        == 404
    )


def test_a_village_of_another_commune_is_refused(client, staff_user, partnership):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    foreign = VillageFactory()
    data = _post_data(partnership, audience=Post.Audience.VILLAGE, village=foreign.pk)
    response = client.post(reverse("channel:post-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Post.objects.exists()


def test_a_donor_who_gave_nothing_to_the_partnership_is_refused(client, staff_user, partnership):
    stranger = PartnerFactory()
    DonationFactory(partner=stranger)  # to another partnership
    with pytest.raises(ValidationError, match="given nothing"), translation.override("en"):
        services.post_publish(
            actor=staff_user,
            post=Post(
                partnership=partnership,
                title="Tin",
                body="Nội dung",
                audience=Post.Audience.PARTNER,
                partner=stranger,
            ),
        )
    assert not Post.objects.exists()


def test_a_file_that_is_not_a_photo_saves_nothing(client, staff_user, partnership, mailoutbox):
    client.force_login(staff_user)
    fake = SimpleUploadedFile("anh.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(reverse("channel:post-create"), _post_data(partnership, photos=fake))
    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert not Post.objects.exists()
    assert not PostPhoto.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["cadre_user", "auditor_user", "donor_user"])
def test_only_office_staff_post(client, request, role, partnership):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("channel:post-create"), _post_data(partnership))
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_e_mails_go_only_to_subscribers_who_may_read_the_post(
    staff_user,
    cadre_user,
    donor_user,
    partnership,
    funded,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    outsider = UserFactory(username="staff-b", email="b@example.vn")
    role_assign(actor=None, user=outsider, role=Role.OFFICE_STAFF, partnership=PartnershipFactory())
    for user in (staff_user, cadre_user, donor_user, outsider):
        user.email = user.email or f"{user.username}@example.vn"
        user.save(update_fields=["email"])
        SubscriptionFactory(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(
            actor=staff_user,
            post=Post(
                partnership=partnership,
                title="Cho nhà tài trợ",
                body="Nội dung",
                audience=Post.Audience.PARTNER,
                partner=funded.partner,
            ),
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([staff_user.email, donor_user.email])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(
            actor=staff_user,
            post=Post(partnership=partnership, title="Cho cả xã", body="Nội dung"),
        )
    assert len(mailoutbox) == 4  # staff and cadre; the donor reads only their own funded work


def test_the_daily_digest_gathers_the_new_posts_once(
    staff_user, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    staff_user.email = "staff@example.vn"
    staff_user.save(update_fields=["email"])
    SubscriptionFactory(user=staff_user, frequency=Subscription.Frequency.DAILY)
    first = services.post_publish(
        actor=staff_user, post=Post(partnership=partnership, title="Tin một", body="…")
    )
    second = services.post_publish(
        actor=staff_user, post=Post(partnership=partnership, title="Tin hai", body="…")
    )
    assert mailoutbox == []  # digest subscribers get no e-mail per post
    # The digest is a notice: it goes once its transaction commits (channel.notify).
    with django_capture_on_commit_callbacks(execute=True):
        assert background.digest_send() == 1
    assert len(mailoutbox) == 1
    assert first.title in mailoutbox[0].body
    assert second.title in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert background.digest_send() == 0
    assert len(mailoutbox) == 1


def test_a_subscription_is_chosen_and_cancelled_on_its_page(client, cadre_user):
    cadre_user.email = "canbo@example.vn"
    cadre_user.save(update_fields=["email"])
    client.force_login(cadre_user)
    url = reverse("channel:subscription")
    assert client.post(url, {"frequency": "daily"}).status_code == 302
    assert Subscription.objects.get(user=cadre_user).frequency == "daily"
    assert client.post(url, {"frequency": "off"}).status_code == 302
    assert not Subscription.objects.exists()


def test_a_subscription_needs_an_e_mail_address(client, donor_user):
    client.force_login(donor_user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("channel:subscription"), {"frequency": "immediate"})
    assert response.status_code == 200
    assert "e-mail address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_feed_runs_a_fixed_number_of_queries(
    client, staff_user, partnership, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = reverse("channel:post-list")
    PostPhotoFactory(post=PostFactory(partnership=partnership))
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(url).context["page_obj"]) == 1
    for _ in range(15):
        PostPhotoFactory(post=PostFactory(partnership=partnership, activity=None))
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(url).context["page_obj"]) == 16
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_the_post_form_renders_for_office_staff(client, staff_user, partnership, funded):
    client.force_login(staff_user)
    response = client.get(reverse("channel:post-create"))
    assert response.status_code == 200
    assert funded.partner.name in response.content.decode()


def test_jpeg_helper_makes_a_picture():
    assert jpeg_bytes()[:2] == b"\xff\xd8"
