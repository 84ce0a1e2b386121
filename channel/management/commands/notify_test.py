"""Send one test message to a phone through one channel, now, and say what the provider
answered: the administrators' check that Zalo's template messages or the SMS brandname work.

Synchronous, past the quiet hours and without falling back to another channel
(channel.notify.engine.send_now); the test is a notice like any other (kind ``test``), with its
code and its line in the delivery log.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from channel.models import Channel, Notice, NoticeKind, ZaloTemplate
from channel.notify import engine, zalo
from channel.notify.errors import SendError
from channel.notify.service import notice_text
from core.phones import normalise_phone

CHANNELS = (Channel.ZNS.value, Channel.SMS.value)
# What a template's parameter gets in a test, by Zalo's type of parameter.
TEST_TEXT = "Thử nghiệm"


def _test_value(param) -> str:
    kind = str(param.get("type", "") if isinstance(param, dict) else "").upper()
    if kind == "NUMBER":
        return "1"
    if kind == "DATE":
        return timezone.localdate().strftime("%d/%m/%Y")
    limit = param.get("max_length") if isinstance(param, dict) else None
    return TEST_TEXT[:limit] if isinstance(limit, int) and limit > 0 else TEST_TEXT


def test_data(template: ZaloTemplate | None) -> dict:
    """Return a test value for each parameter of ``template`` but ``code`` (the notice's)."""
    data = {}
    for param in template.params if template is not None else []:
        name = param.get("name", "") if isinstance(param, dict) else str(param)
        if name and name != "code":
            data[name] = _test_value(param)
    return data


class Command(BaseCommand):
    help = (
        "Send one test message to PHONE through a channel now (no quiet hours, no fallback) "
        "and print the provider's message id; exit 1 with the reason when it fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("phone", help="A Vietnamese mobile number, e.g. 0912 345 678.")
        parser.add_argument("--channel", required=True, choices=CHANNELS)
        parser.add_argument(
            "--template",
            default="",
            metavar="ID",
            help="A ZNS template id to send through (else the one set for test messages).",
        )

    def handle(self, *args, **options):
        try:
            phone = normalise_phone(options["phone"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not phone:
            raise CommandError(_("Give the mobile number to send the test message to."))
        channel, template_id = options["channel"], options["template"].strip()
        if template_id and channel != Channel.ZNS:
            raise CommandError(_("--template is for Zalo template messages (--channel zns)."))
        template = self._template(template_id) if channel == Channel.ZNS else None
        notice = self._notice(phone=phone, channel=channel, template=template)
        try:
            message_id = engine.send_now(notice, channel, template=template)
        except SendError as error:
            raise CommandError(_("Not sent: %(reason)s") % {"reason": error}) from error
        self.stdout.write(
            _("Sent by %(channel)s (notice %(code)s). The provider's message id: %(id)s")
            % {
                "channel": Channel(channel).label,
                "code": notice.short_code,
                "id": message_id or "—",
            }
        )

    def _template(self, template_id: str) -> ZaloTemplate:
        """Return the ZNS template the test goes through; refuse one that is not approved."""
        if template_id:
            try:
                template = zalo.template_lookup(template_id)
            except SendError as error:
                raise CommandError(
                    _("Zalo could not describe the template %(template)s: %(reason)s")
                    % {"template": template_id, "reason": error}
                ) from error
        else:
            template = zalo.zns_template_for(NoticeKind.TEST)
            if template is None:
                raise CommandError(
                    _(
                        "No Zalo template is set for test messages: give one with --template "
                        "ID (the Zalo templates are listed in the administration)."
                    )
                )
        if not template.approved:
            raise CommandError(
                _("The Zalo template %(template)s is not approved (%(status)s).")
                % {"template": template.template_id, "status": template.status or "?"}
            )
        return template

    def _notice(self, *, phone: str, channel: str, template: ZaloTemplate | None) -> Notice:
        """Record the test notice, not queued: this command sends it."""
        notice = Notice(
            kind=NoticeKind.TEST,
            key=f"test:{uuid.uuid4().hex}",
            phone=phone,
            preferred=channel,
            data=test_data(template),
            quiet_hours=False,
        )
        notice.text = notice_text(notice)
        notice.full_clean()
        notice.save()
        return notice
