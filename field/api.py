"""The field app's JSON API: the data a cadre takes offline, and the sync of recorded work.

Both answer in JSON whatever happens, for the phone's outbox to act on (the sync contract): not
logged in is 401 ``{"status": "login"}`` (never the login page's redirect), a role that does not
work in the communes 403 ``{"status": "refused"}``, a refused CSRF token 403
``{"status": "csrf"}`` (the record stays in the outbox; the page reloads its token and sends
again). So the views are declared ``@public`` to the access middleware, and ``api(...)`` checks
the login and the roles itself, with the same ``may`` as every page.
"""

import datetime
import functools
import json
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.services import Busy
from field import selectors, services
from field.models import SyncedRecord
from outreach.access import WORKERS, may, public

Kind = SyncedRecord.Kind
# What each kind's data holds: a name and the JSON types it may have (None: may be missing).
_DATA = {
    Kind.RECEIPT_CONFIRM: {"receipt": (int,), "signature": (str, None)},
    Kind.ASSET_LOG: {"asset": (int,), "kind": (str,), "happened_on": (str,), "note": (str, None)},
    Kind.CONCERN: {"household": (int,), "kind": (str,), "raised_on": (str,), "text": (str,)},
    Kind.SURVEY_SECTION: {"survey": (int,), "section": (str,), "fields": (dict,)},
}


def answer(http: int, status: str, message, *, client_id=None, **extra) -> JsonResponse:
    """Answer as the contract says: always a status, the record's client id and a message."""
    body = {
        "status": status,
        "client_id": str(client_id) if client_id else None,
        "message": str(message),
        **extra,
    }
    return JsonResponse(body, status=http, json_dumps_params={"ensure_ascii": False})


def api(*roles: str):
    """Serve a view of the API to ``roles`` (administrators always), answering in JSON: 401 when
    not logged in, 403 to other roles and to roles no longer in force."""

    def decorate(view):
        @functools.wraps(view)
        def checked(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return answer(
                    401,
                    "login",
                    _("Your session has ended: log in again. Your records stay on this phone."),
                )
            if not may(request.user, *roles):
                return answer(403, "refused", _("Your role does not record field work."))
            return view(request, *args, **kwargs)

        return public(never_cache(checked))

    return decorate


def _wrong_method(request: HttpRequest, allowed: str) -> JsonResponse:
    response = answer(
        405, "invalid", _("This address does not take %(method)s.") % {"method": request.method}
    )
    response["Allow"] = allowed
    return response


@api(*WORKERS)
def data(request: HttpRequest) -> JsonResponse:
    """Give the data the offline app keeps: the requester's communes only, nothing private."""
    if request.method != "GET":
        return _wrong_method(request, "GET")
    return JsonResponse(
        selectors.field_data(user=request.user), json_dumps_params={"ensure_ascii": False}
    )


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, refusing in JSON (the failure page would be lost on the phone)."""

    def _reject(self, request, reason):
        return answer(
            403,
            "csrf",
            _("The page's security token has expired: reload the page, then send again."),
        )


def _csrf_refusal(request: HttpRequest) -> JsonResponse | None:
    return _CsrfCheck(lambda request: None).process_view(request, None, (), {})


class Malformed(Exception):
    """The body is not a record of the contract (400)."""


def _value(body: dict, name: str, types: tuple):
    value = body.get(name)
    if value is None and None in types:
        return None
    kinds = tuple(kind for kind in types if kind is not None)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise Malformed(name)
    return value


def _recorded_at(value) -> datetime.datetime:
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise Malformed("recorded_at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError) as error:
        raise Malformed("client_id") from error


def _base_version(body: dict, kind: str) -> str | None:
    base = body.get("base", {})
    if not isinstance(base, dict):
        raise Malformed("base")
    version = base.get("version")
    if version is None and kind != Kind.CONCERN:
        raise Malformed("base")
    if version is not None and (isinstance(version, bool) or not isinstance(version, str | int)):
        raise Malformed("base")
    return None if version is None else str(version)


def parse_record(raw: bytes) -> services.Record:
    """Read a record of the contract from a request's body; raise ``Malformed`` if it is not
    one (what its values mean is for the forms and services to judge)."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise Malformed("json") from error
    if not isinstance(body, dict):
        raise Malformed("json")
    kind = body.get("kind")
    if kind not in _DATA:
        raise Malformed("kind")
    data = body.get("data")
    if not isinstance(data, dict):
        raise Malformed("data")
    if body.get("resolve") not in (None, "mine"):
        raise Malformed("resolve")
    return services.Record(
        client_id=_client_id(body.get("client_id")),
        kind=kind,
        recorded_at=_recorded_at(body.get("recorded_at")),
        base_version=_base_version(body, kind),
        data={name: _value(data, name, types) for name, types in _DATA[kind].items()},
        resolve=body.get("resolve") == "mine",
    )


def _client_id_of(raw: bytes):
    """The client id of a body that is not a whole record, if it can be read: for the answer."""
    try:
        return uuid.UUID(str(json.loads(raw).get("client_id")))
    except (AttributeError, TypeError, ValueError):
        return None


def _errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            name: [str(message) for message in messages]
            for name, messages in error.message_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def _too_large() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return answer(
        422,
        "invalid",
        _("The record is too large to send."),
        errors={
            "signature": [
                _("A record can be at most %(limit)s MB: take a smaller signature photo.")
                % {"limit": limit}
            ]
        },
    )


def _apply(request: HttpRequest, record: services.Record) -> JsonResponse:
    client_id = record.client_id
    try:
        outcome = services.record_sync(actor=request.user, record=record)
    except services.Refused:
        return answer(
            403,
            "refused",
            _("You cannot record this: it is not in your communes, or not for your role."),
            client_id=client_id,
        )
    except services.Conflict as conflict:
        return answer(
            409,
            "conflict",
            conflict.message,
            client_id=client_id,
            server=conflict.server,
            mine=conflict.mine,
        )
    except ValidationError as error:
        return answer(
            422,
            "invalid",
            _("This record was refused: nothing was stored."),
            client_id=client_id,
            errors=_errors(error),
        )
    except Busy as busy:
        # Not a conflict of this record: the outbox sends it again later.
        return answer(503, "busy", busy.message, client_id=client_id)
    return answer(outcome.http, outcome.status, outcome.message, client_id=client_id)


@csrf_exempt  # checked inside, after the login, to refuse in JSON
@api(*WORKERS)
def sync(request: HttpRequest) -> JsonResponse:
    """Apply one record made on a phone, once (the sync contract's answers)."""
    if request.method != "POST":
        return _wrong_method(request, "POST")
    refusal = _csrf_refusal(request)
    if refusal is not None:
        return refusal
    try:
        raw = request.body
    except RequestDataTooBig:
        return _too_large()
    try:
        record = parse_record(raw)
    except Malformed:
        return answer(
            400,
            "invalid",
            _("This record could not be read: it is incomplete or damaged."),
            client_id=_client_id_of(raw),
        )
    return _apply(request, record)
