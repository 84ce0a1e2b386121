"""Send the daily digest of new posts (for cron, where Celery beat does not run it)."""

from django.core.management.base import BaseCommand

from channel.background import digest_send


class Command(BaseCommand):
    help = "E-mail each daily-digest subscriber the posts they have not had yet."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="", help="https://host, for the links.")

    def handle(self, *args, **options):
        sent = digest_send(site_url=options["site_url"])
        self.stdout.write(f"{sent} digest(s) sent.")
