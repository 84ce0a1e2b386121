"""Run the image pipeline over pictures stored before every upload went through it.

Signature photos were once stored as uploaded (EXIF and GPS kept, under the uploader's file name),
and photos added in the admin were stored pending without being queued. Running this again
changes nothing: a clean signature and a ready photo are left alone.
"""

from django.core.management.base import BaseCommand

from activities.models import Photo, Receipt
from activities.processing import photo_process, signature_process


class Command(BaseCommand):
    help = (
        "Clean stored signature photos (upright, no EXIF or GPS, random name) and process the "
        "activity photos still waiting; a second run changes nothing."
    )

    def handle(self, *args, **options):
        cleaned = left = 0
        # The partial index on signature serves this: few receipts have one.
        receipts = Receipt.objects.exclude(signature="").only("pk", "signature").order_by("pk")
        for receipt in receipts.iterator(chunk_size=500):
            if signature_process(actor=None, receipt=receipt):
                cleaned += 1
            else:
                left += 1
        processed = failed = 0
        waiting = Photo.objects.exclude(state=Photo.State.READY).order_by("pk")
        for photo in waiting.iterator(chunk_size=500):
            photo = photo_process(actor=None, photo=photo)
            if photo.state == Photo.State.READY:
                processed += 1
            else:
                failed += 1
        self.stdout.write(
            f"Signatures cleaned: {cleaned}, already clean or unreadable: {left}. "
            f"Photos processed: {processed}, unreadable: {failed}."
        )
