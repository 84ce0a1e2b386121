"""SMS brandname through one provider's HTTP API, chosen by ``SMS_PROVIDER``.

- ``esms`` (eSMS.vn): ``POST {SMS_URL}/MainService.svc/json/SendMultipleMessage_V4_post_json/``
  with the API and secret keys in the body; a customer-care message (``SmsType`` 2) under the
  brandname; ``RequestId`` (the notice's key) makes a repeated request a duplicate eSMS drops.
  ``CodeResult`` 100 is accepted; the message id is ``SMSID``.
- ``speedsms`` (SpeedSMS.vn): ``POST {SMS_URL}/index.php/sms/send`` with the access token as the
  Basic user name; ``sms_type`` 3 (brandname); ``status`` "success", the id is ``data.tranId``.

Brandname messages to Vietnamese networks go without tone marks (``IsUnicode`` 0: one message
holds 160 characters instead of 70, and every handset shows them), so the text is folded.
"""

import hashlib
import json

from django.conf import settings
from django.utils.translation import gettext as _

from channel.notify import http
from channel.notify.errors import Refused
from core.text import fold_for_sms

DEFAULT_URLS = {"esms": "https://rest.esms.vn", "speedsms": "https://api.speedsms.vn"}
NAMES = {"esms": "eSMS", "speedsms": "SpeedSMS"}
# eSMS's answer to a RequestId it has seen ("Trùng RequestId").
DUPLICATE_REQUEST = "124"
# A message of several parts is sent as one by the providers; beyond this it is cut.
MAX_LENGTH = 459
REQUEST_ID_LENGTH = 50


def configured() -> bool:
    """Tell whether SMS can be sent: a provider, its key and the brandname are set."""
    return bool(settings.SMS_PROVIDER and settings.SMS_API_KEY and settings.SMS_BRANDNAME)


def request_id_for(key: str) -> str:
    """Return the request id of the notice ``key`` (at most 50 characters): the key itself,
    or, for a longer one, its start and a digest, so that two notices never share one (eSMS
    drops the second request with an id it has seen)."""
    if len(key) <= REQUEST_ID_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: REQUEST_ID_LENGTH - 17]}~{digest}"


def _url() -> str:
    return settings.SMS_URL or DEFAULT_URLS[settings.SMS_PROVIDER]


def sms_text(text: str) -> str:
    """Return ``text`` as it goes by SMS: without tone marks (đ as d), at most three parts."""
    return fold_for_sms(text)[:MAX_LENGTH]


def _esms(*, phone: str, text: str, request_id: str) -> str:
    body = {
        "ApiKey": settings.SMS_API_KEY,
        "SecretKey": settings.SMS_SECRET_KEY,
        "Phone": phone,
        "Content": text,
        "Brandname": settings.SMS_BRANDNAME,
        "SmsType": "2",
        "IsUnicode": "0",
        "RequestId": request_id,
    }
    response = http.call(
        "POST",
        f"{_url()}/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        provider=NAMES["esms"],
        headers={"Content-Type": "application/json"},
        data=json.dumps(body).encode(),
    )
    answer = http.json_of(response)
    if str(answer.get("CodeResult")) == DUPLICATE_REQUEST and request_id:
        # eSMS took a request with this id already (a worker died after sending, before it
        # recorded it): the message went, and is not sent again.
        return str(answer.get("SMSID") or f"RequestId {request_id}")
    if str(answer.get("CodeResult")) != "100":
        raise Refused(
            _("eSMS answered %(code)s: %(message)s")
            % {
                "code": answer.get("CodeResult", response.status_code),
                "message": answer.get("ErrorMessage", ""),
            }
        )
    return str(answer.get("SMSID", ""))


def _speedsms(*, phone: str, text: str, request_id: str) -> str:
    body = {"to": [phone], "content": text, "sms_type": 3, "sender": settings.SMS_BRANDNAME}
    response = http.call(
        "POST",
        f"{_url()}/index.php/sms/send",
        provider=NAMES["speedsms"],
        auth=(settings.SMS_API_KEY, "x"),
        headers={"Content-Type": "application/json"},
        data=json.dumps(body).encode(),
    )
    answer = http.json_of(response)
    if answer.get("status") != "success":
        raise Refused(
            _("SpeedSMS answered %(code)s: %(message)s")
            % {
                "code": answer.get("code", response.status_code),
                "message": answer.get("message", ""),
            }
        )
    return str((answer.get("data") or {}).get("tranId", ""))


def send(*, phone: str, text: str, request_id: str) -> str:
    """Send one SMS brandname to ``phone`` (``84…``); return the provider's message id."""
    if not configured():
        raise Refused(_("SMS is not set up."))
    if not phone:
        raise Refused(_("No mobile number."))
    sender = _esms if settings.SMS_PROVIDER == "esms" else _speedsms
    return sender(phone=phone, text=sms_text(text), request_id=request_id)
