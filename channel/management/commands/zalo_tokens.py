"""Store the Official Account's tokens obtained by hand, where the admin's "Connect the Zalo
OA" cannot be used (no browser on the server, a callback address Zalo cannot reach)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from channel.notify import zalo


class Command(BaseCommand):
    help = (
        "Store the Zalo OA's access and refresh tokens (from Zalo's API explorer): the OA is "
        "connected again. The tokens are never printed; clear them from the shell's history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--access", required=True, metavar="TOKEN", help="The access token.")
        parser.add_argument(
            "--refresh", required=True, metavar="TOKEN", help="The refresh token (used once)."
        )

    def handle(self, *args, **options):
        try:
            row = zalo.zalo_tokens_store(
                actor=None, access_token=options["access"], refresh_token=options["refresh"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        until = timezone.localtime(row.access_expires_at)
        self.stdout.write(
            _(
                "The Zalo Official Account is connected: the access token is valid until "
                "%(until)s and is renewed by itself."
            )
            % {"until": until.strftime("%d/%m/%Y %H:%M")}
        )
        if not zalo.app_configured():
            self.stderr.write(
                _("Set ZALO_APP_ID and ZALO_APP_SECRET too: without them nothing goes by Zalo.")
            )
