"""core.images: what an upload must be, and what is kept of it."""

import datetime
import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from core import images


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def picture_bytes(fmt="JPEG", size=(40, 20), mode="RGB", colour="red", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def phone_photo_with_gps() -> bytes:
    """A 40×20 JPEG, red left half and blue right half, that EXIF says to turn 90° clockwise;
    it also carries the GPS position where it was taken."""
    picture = Image.new("RGB", (40, 20), (255, 0, 0))
    picture.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Điện thoại"
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "2024:05:19 08:30:00"}
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (22.0, 10.0, 5.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (105.0, 1.0, 2.0),
    }
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def noise_png(side: int) -> bytes:
    """A PNG of random pixels: it cannot be compressed (``side`` 700 is about 1.5 MB)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels: a few dozen bytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


# --- checks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP")])
def test_jpeg_png_and_webp_are_accepted(fmt, expected):
    assert images.check_upload(upload("anh", picture_bytes(fmt))) == expected


def test_the_real_format_counts_not_the_file_name():
    # A PNG named .jpg is a photo; its format is read from its content.
    assert images.check_upload(upload("anh.jpg", picture_bytes("PNG"))) == "PNG"


def test_a_text_file_named_jpg_is_refused_with_its_name():
    with pytest.raises(ValidationError, match=r"“x\.jpg” is not a photo") as refused:
        images.check_upload(upload("x.jpg", "Danh sách hộ nghèo thôn Pác Hợp".encode()))
    assert refused.value.messages == ["“x.jpg” is not a photo (JPEG, PNG or WebP)."]


def test_another_image_type_is_refused():
    with pytest.raises(ValidationError, match="is not a photo"):
        images.check_upload(upload("hoat-hinh.gif", picture_bytes("GIF")))


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = noise_png(700)
    assert len(big) > settings.PHOTO_MAX_BYTES
    with pytest.raises(ValidationError, match=r"“y\.jpg” is larger than 1 MB") as refused:
        images.check_upload(upload("y.jpg", big))
    assert refused.value.messages == ["“y.jpg” is larger than 1 MB."]


def test_a_picture_with_more_pixels_than_the_limit_is_refused(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match=r"“rong\.png” has more than 1 million") as refused:
        images.check_upload(upload("rong.png", png_header_only(2000, 1000)))
    assert refused.value.messages == ["“rong.png” has more than 1 million pixels."]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 10 billion pixels declared in 70 bytes: Pillow's own guard trips on opening.
    bomb = png_header_only(100_000, 100_000)
    assert len(bomb) < 100
    with pytest.raises(ValidationError, match="million pixels"):
        images.check_upload(upload("bom.png", bomb))
    with pytest.raises(images.ImageProblem, match="could be decompression bomb"):
        images.process(io.BytesIO(bomb))


def test_every_bad_file_of_a_batch_is_named():
    files = [
        upload("tot.jpg", picture_bytes()),
        upload("a.jpg", b"not an image"),
        upload("b.jpg", b"\xff\xd8 also not"),
    ]
    with pytest.raises(ValidationError, match=r"“a\.jpg” is not a photo") as refused:
        images.check_uploads(files)
    assert [m.split("”")[0] for m in refused.value.messages] == ["“a.jpg", "“b.jpg"]


def test_a_checked_upload_can_be_read_again_from_the_start():
    photo = upload("anh.jpg", picture_bytes())
    images.check_upload(photo)
    assert photo.read(2) == b"\xff\xd8"


# --- processing --------------------------------------------------------------------------------


def test_a_phone_photo_comes_out_upright_without_any_exif_or_gps():
    result = images.process(io.BytesIO(phone_photo_with_gps()))
    for encoded in (result.image, result.display, result.thumbnail):
        clean = Image.open(io.BytesIO(encoded))
        assert clean.size == (20, 40)  # turned 90° clockwise
        exif = clean.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in clean.info
        assert b"Exif" not in encoded
    upright = Image.open(io.BytesIO(result.image)).convert("RGB")
    # The left (red) half of the stored picture is now on top, the blue one beneath.
    red, blue = upright.getpixel((10, 5)), upright.getpixel((10, 35))
    assert red[0] > 200 > red[2]
    assert blue[2] > 200 > blue[0]
    assert (result.width, result.height) == (20, 40)
    assert result.taken_on == datetime.date(2024, 5, 19)


def test_the_copies_are_at_most_1600_and_320_pixels_and_keep_the_proportions():
    result = images.process(io.BytesIO(picture_bytes("JPEG", size=(2400, 1200))))
    assert Image.open(io.BytesIO(result.image)).size == (2400, 1200)
    assert Image.open(io.BytesIO(result.display)).size == (1600, 800)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (320, 160)
    assert (result.image_extension, result.copy_extension) == ("jpg", "jpg")


def test_a_small_photo_is_not_enlarged():
    result = images.process(io.BytesIO(picture_bytes("JPEG", size=(200, 100))))
    assert Image.open(io.BytesIO(result.display)).size == (200, 100)


def test_a_png_with_transparency_keeps_it():
    picture = Image.new("RGBA", (50, 40), (0, 128, 0, 0))
    picture.paste((255, 0, 0, 255), (0, 0, 25, 40))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    result = images.process(io.BytesIO(buffer.getvalue()))
    assert (result.image_extension, result.copy_extension) == ("png", "png")
    for encoded in (result.image, result.display, result.thumbnail):
        clean = Image.open(io.BytesIO(encoded))
        assert clean.mode == "RGBA"
        assert clean.getpixel((clean.width - 1, 0))[3] == 0
        assert clean.getpixel((0, 0))[3] == 255


def test_a_palette_png_with_a_transparent_colour_is_handled():
    picture = Image.new("P", (30, 30), 0)
    picture.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    picture.paste(1, (0, 0, 15, 30))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=0)
    result = images.process(io.BytesIO(buffer.getvalue()))
    clean = Image.open(io.BytesIO(result.display))
    assert clean.mode == "RGBA"
    assert clean.getpixel((29, 0))[3] == 0
    assert clean.getpixel((0, 0))[:3] == (200, 0, 0)


def test_a_webp_stays_webp_and_a_cmyk_jpeg_becomes_rgb():
    assert images.process(io.BytesIO(picture_bytes("WEBP"))).image_extension == "webp"
    cmyk = images.process(io.BytesIO(picture_bytes("JPEG", mode="CMYK", colour=(0, 0, 0, 0))))
    assert Image.open(io.BytesIO(cmyk.image)).mode == "RGB"


def test_a_truncated_photo_is_a_problem_not_a_crash():
    whole = picture_bytes("PNG", size=(300, 300), colour="blue")
    with pytest.raises(images.ImageProblem, match="image file is truncated"):
        images.process(io.BytesIO(whole[: len(whole) // 2]))
    with pytest.raises(images.ImageProblem, match="cannot identify image file"):
        images.process(io.BytesIO(b"plain text"))
