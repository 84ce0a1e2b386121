"""Zalo, through its documented HTTP APIs (developers.zalo.me): the Official Account's OAuth v4
tokens, template messages (ZNS) to a phone number, OA messages to a follower, the list of
templates, and the signature of the webhook's events.

The access token lasts about 25 hours and the refresh token can be used once: a refresh takes
the connection's row lock, asks Zalo, and stores both new tokens in that transaction, so two
workers never spend one refresh token twice (the second one finds the new access token and uses
it). A call answered "token invalid or expired" (error -216 or -124, or HTTP 401) refreshes once
and tries again; a refresh that fails (e.g. -14020, token already used) marks the connection
broken, tells the administrators, and Zalo is not used until the OA is connected again.
"""

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import urllib.parse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channel.models import Notice, ZaloConnection, ZaloTemplate
from channel.notify import http
from channel.notify.errors import Down, Later, Refused
from core.services import actor_or_none, model_update, service

PROVIDER = "Zalo"
# Zalo's answers that the access token is not (or no longer) valid.
TOKEN_ERRORS = frozenset({-216, -124})
# How long tokens last when Zalo does not say (its documentation: ~25 hours and 3 months).
ACCESS_LIFETIME = datetime.timedelta(hours=25)
REFRESH_LIFETIME = datetime.timedelta(days=90)


def app_configured() -> bool:
    """Tell whether the office's Zalo app is set up (``ZALO_APP_ID``, ``ZALO_APP_SECRET``)."""
    return bool(settings.ZALO_APP_ID and settings.ZALO_APP_SECRET)


def connection() -> ZaloConnection | None:
    """Return the OA connection row, or None if the OA was never connected."""
    return ZaloConnection.objects.filter(pk=ZaloConnection.PK).first()


def usable() -> bool:
    """Tell whether messages may go by Zalo now: the app is set up and the OA is connected."""
    row = connection()
    return (
        app_configured()
        and row is not None
        and row.state == ZaloConnection.State.CONNECTED
        and bool(row.access_token)
    )


# --- OAuth v4 with PKCE ------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    """Return a new PKCE code verifier and its S256 code challenge."""
    verifier = secrets.token_urlsafe(32)[:43]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def permission_url(*, redirect_uri: str, code_challenge: str, state: str) -> str:
    """Return Zalo's page where the OA's administrator grants the app its permissions."""
    base = settings.ZALO_OAUTH_URL.rsplit("/", 1)[0]  # …/v4/oa/access_token → …/v4/oa
    query = urllib.parse.urlencode(
        {
            "app_id": settings.ZALO_APP_ID,
            "redirect_uri": redirect_uri,
            "code_challenge": code_challenge,
            "state": state,
        }
    )
    return f"{base}/permission?{query}"


def _token_request(data: dict) -> dict:
    """Ask Zalo's OAuth server for tokens; return its answer, or raise ``Down`` with its error."""
    response = http.call(
        "POST",
        settings.ZALO_OAUTH_URL,
        provider=PROVIDER,
        headers={"secret_key": settings.ZALO_APP_SECRET},
        data={"app_id": settings.ZALO_APP_ID, **data},
    )
    answer = http.json_of(response)
    if response.status_code != 200 or not answer.get("access_token"):
        error = answer.get("error", response.status_code)
        description = answer.get("error_description") or answer.get("message") or ""
        raise Down(
            _("Zalo refused the tokens (error %(error)s: %(description)s).")
            % {"error": error, "description": description}
        )
    return answer


def _store(row: ZaloConnection, answer: dict, *, actor=None) -> ZaloConnection:
    now = timezone.now()
    try:
        lifetime = datetime.timedelta(seconds=int(answer.get("expires_in")))
    except (TypeError, ValueError):
        lifetime = ACCESS_LIFETIME
    row.access_token = answer["access_token"]
    row.refresh_token = answer.get("refresh_token") or row.refresh_token
    row.access_expires_at = now + lifetime
    if answer.get("refresh_token"):
        row.refresh_expires_at = now + REFRESH_LIFETIME
    row.state = ZaloConnection.State.CONNECTED
    row.problem = ""
    row.refreshed_at = now
    if actor is not None:
        row.connected_by = actor_or_none(actor)
    row.save()
    return row


def _locked() -> ZaloConnection:
    row = ZaloConnection.objects.select_for_update().filter(pk=ZaloConnection.PK).first()
    return row or ZaloConnection(pk=ZaloConnection.PK)


@service
def zalo_tokens_store(*, actor, access_token: str, refresh_token: str) -> ZaloConnection:
    """Store tokens obtained by hand (``manage.py zalo_tokens``): the OA is connected again."""
    access_token, refresh_token = access_token.strip(), refresh_token.strip()
    if not access_token or not refresh_token:
        raise ValidationError(_("Give both the access token and the refresh token."))
    return _store(
        _locked(), {"access_token": access_token, "refresh_token": refresh_token}, actor=actor
    )


@service
def zalo_code_exchange(*, actor, code: str, code_verifier: str) -> ZaloConnection:
    """Exchange the code of Zalo's callback (with its PKCE verifier) for the OA's tokens."""
    if not app_configured():
        raise ValidationError(_("Set ZALO_APP_ID and ZALO_APP_SECRET first."))
    try:
        answer = _token_request(
            {
                "code": code,
                "grant_type": "authorization_code",
                "code_verifier": code_verifier,
            }
        )
    except (Down, Later) as error:
        raise ValidationError(str(error)) from error
    return _store(_locked(), answer, actor=actor)


def _alert_administrators(problem: str) -> None:
    """E-mail the administrators that Zalo stopped (once per breakdown: the caller marks it)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(Q(is_superuser=True) | Q(role_assignments__role="administrator"))
    addresses = sorted(set(users.values_list("email", flat=True)))
    if not addresses:
        return
    body = _(
        "Messages can no longer be sent by Zalo: %(problem)s\n\n"
        "They go by SMS or e-mail meanwhile. Connect the Official Account again in the "
        "administration (Zalo OA connection), or store new tokens with "
        "`python manage.py zalo_tokens --access … --refresh …`."
    ) % {"problem": problem}
    transaction.on_commit(
        lambda: send_mail(_("Ba Cùng: Zalo needs connecting again"), body, None, addresses)
    )


def refresh(*, stale_access_token: str) -> str:
    """Return a valid access token, refreshing it under the row lock if it is still
    ``stale_access_token``; raise ``Down`` if Zalo refuses the refresh.

    Its own transaction: the new tokens are stored (or the breakdown recorded) whatever
    happens to the caller's work.
    """
    with transaction.atomic():
        row = ZaloConnection.objects.select_for_update().filter(pk=ZaloConnection.PK).first()
        if row is None or row.state == ZaloConnection.State.BROKEN:
            raise Down(_("The Zalo Official Account is not connected."))
        if row.access_token != stale_access_token:
            return row.access_token  # another worker refreshed it while we waited for the lock
        try:
            answer = _token_request(
                {"refresh_token": row.refresh_token, "grant_type": "refresh_token"}
            )
        except Down as error:
            # Recorded, not raised, inside the transaction: raising would roll the record back.
            failure = error
            row.state = ZaloConnection.State.BROKEN
            row.problem = str(error)[:255]
            row.save(update_fields=["state", "problem", "updated_at"])
            _alert_administrators(row.problem)
        else:
            return _store(row, answer).access_token
    raise failure


def _token() -> str:
    row = connection()
    if not app_configured() or row is None or not row.access_token:
        raise Down(_("The Zalo Official Account is not connected."))
    if row.state == ZaloConnection.State.BROKEN:
        raise Down(row.problem or _("The Zalo Official Account needs connecting again."))
    return row.access_token


def _token_invalid(response, answer: dict) -> bool:
    return response.status_code == 401 or answer.get("error") in TOKEN_ERRORS


def authorised(method: str, url: str, **kwargs) -> dict:
    """Call one of Zalo's APIs with the access token; on "token invalid or expired" refresh
    once and call again. Return the answer's JSON; raise ``Down`` if the token cannot be
    renewed, ``Later`` for what may pass."""
    token = _token()
    headers = kwargs.pop("headers", {})
    for attempt in range(2):
        response = http.call(
            method, url, provider=PROVIDER, headers={**headers, "access_token": token}, **kwargs
        )
        answer = http.json_of(response)
        if not _token_invalid(response, answer):
            return answer
        if attempt == 0:
            token = refresh(stale_access_token=token)
    raise Down(_("Zalo refused the access token even after refreshing it."))


def _refused(answer: dict) -> Refused:
    return Refused(
        _("Zalo answered error %(error)s: %(message)s")
        % {"error": answer.get("error"), "message": answer.get("message", "")}
    )


# --- Sending -----------------------------------------------------------------------------------


def zns_template_for(kind: str) -> ZaloTemplate | None:
    """Return the ZNS template used for notices of ``kind``, if one is set."""
    return ZaloTemplate.objects.filter(notice_kind=kind).first()


def zns_send(notice: Notice, template: ZaloTemplate | None = None) -> str:
    """Send ``notice`` as a template message to its phone; return Zalo's message id.

    Only through an approved template (the one set for the notice's kind, unless ``template``
    is given: ``manage.py notify_test --template``); its parameters take the notice's data of
    the same name (the notice's short code is ``code``). The notice's key is the tracking id.
    """
    if not notice.phone:
        raise Refused(_("No mobile number."))
    if template is None:
        template = zns_template_for(notice.kind)
    if template is None:
        raise Refused(_("No Zalo template is set for this notice."))
    if not template.approved:
        raise Refused(
            _("The Zalo template %(template)s is not approved (%(status)s).")
            % {"template": template.template_id, "status": template.status}
        )
    values = {**notice.data, "code": notice.short_code}
    names = [param["name"] if isinstance(param, dict) else param for param in template.params]
    missing = [name for name in names if values.get(name) in (None, "")]
    if missing:
        raise Refused(
            _("The notice has no value for the template's %(names)s.")
            % {"names": ", ".join(missing)}
        )
    body = {
        "phone": notice.phone,
        "template_id": template.template_id,
        "template_data": {name: str(values[name]) for name in names},
        "tracking_id": notice.key[:48],
    }
    answer = authorised(
        "POST",
        f"{settings.ZALO_ZNS_URL}/message/template",
        headers={"Content-Type": "application/json"},
        data=json.dumps(body, ensure_ascii=False).encode(),
    )
    if answer.get("error") != 0:
        raise _refused(answer)
    return str((answer.get("data") or {}).get("msg_id", ""))


def oa_send(*, zalo_user_id: str, text: str) -> str:
    """Send ``text`` to a follower of the OA (a consultation message); return its message id."""
    body = {"recipient": {"user_id": zalo_user_id}, "message": {"text": text[:2000]}}
    answer = authorised(
        "POST",
        f"{settings.ZALO_OPENAPI_URL}/v3.0/oa/message/cs",
        headers={"Content-Type": "application/json"},
        data=json.dumps(body, ensure_ascii=False).encode(),
    )
    if answer.get("error") != 0:
        raise _refused(answer)
    return str((answer.get("data") or {}).get("message_id", ""))


# --- Templates ---------------------------------------------------------------------------------


def _template_params(template_id: str) -> list:
    answer = authorised(
        "GET", f"{settings.ZALO_ZNS_URL}/template/info/v2", params={"template_id": template_id}
    )
    if answer.get("error") != 0:
        raise _refused(answer)
    return _params_of(answer.get("data") or {})


def _params_of(data: dict) -> list:
    params = data.get("listParams") or []
    return [
        {
            "name": param.get("name", ""),
            "type": param.get("type", ""),
            "max_length": param.get("maxLength"),
        }
        for param in params
        if param.get("name")
    ]


@service
def zalo_templates_fetch(*, actor) -> list[ZaloTemplate]:
    """Copy the office's ZNS templates and their approval state from Zalo.

    A template Zalo no longer lists is kept and marked deleted, so no notice uses it.
    """
    try:
        seen: dict[str, dict] = {}
        offset = 0
        while True:
            answer = authorised(
                "GET",
                f"{settings.ZALO_ZNS_URL}/template/all",
                params={"offset": offset, "limit": 100},
            )
            if answer.get("error") != 0:
                raise _refused(answer)
            page = answer.get("data") or []
            for item in page:
                seen[str(item["templateId"])] = item
            total = int((answer.get("metadata") or {}).get("total") or 0)
            offset += len(page)
            if not page or offset >= total:
                break
        params = {template_id: _template_params(template_id) for template_id in seen}
    except (Refused, Down, Later) as error:
        raise ValidationError(str(error)) from error
    now = timezone.now()
    templates = []
    for template_id, item in seen.items():
        template, _created = ZaloTemplate.objects.update_or_create(
            template_id=template_id,
            defaults={
                "name": item.get("templateName", "")[:200] or template_id,
                "status": item.get("status", ""),
                "params": params[template_id],
                "fetched_at": now,
            },
        )
        templates.append(template)
    ZaloTemplate.objects.exclude(template_id__in=list(seen)).update(
        status=ZaloTemplate.Status.DELETE, fetched_at=now
    )
    return templates


# --- Webhook -----------------------------------------------------------------------------------


def signature_valid(*, raw_body: bytes, timestamp: str, header: str) -> bool:
    """Tell whether ``X-ZEvent-Signature`` signs the event: ``mac=`` SHA-256 of the app id,
    the raw body, the event's timestamp and the OA's secret key."""
    if not (settings.ZALO_APP_ID and settings.ZALO_OA_SECRET and header):
        return False
    expected = hashlib.sha256(
        settings.ZALO_APP_ID.encode()
        + raw_body
        + str(timestamp).encode()
        + settings.ZALO_OA_SECRET.encode()
    ).hexdigest()
    given = header.strip()
    if given.startswith("mac="):
        given = given[4:]
    return hmac.compare_digest(expected, given.lower())


# --- For the administrators (the admin, manage.py notify_test) ------------------------------


@service
def zalo_template_use(*, actor, template: ZaloTemplate, notice_kind: str) -> ZaloTemplate:
    """Set the notice ``template`` carries ('' for none); one template per notice."""
    row = ZaloTemplate.objects.select_for_update().get(pk=template.pk)
    # full_clean names the other template's notice (zalo_template_one_per_notice_kind).
    model_update(row, {"notice_kind": notice_kind}, fields=["notice_kind"])
    return row


def template_lookup(template_id: str) -> ZaloTemplate:
    """Return the template ``template_id`` as stored here, else as Zalo describes it now (its
    status and parameters; not saved). Raise ``Refused``, ``Down`` or ``Later`` if Zalo cannot
    say."""
    stored = ZaloTemplate.objects.filter(template_id=template_id).first()
    if stored is not None:
        return stored
    answer = authorised(
        "GET", f"{settings.ZALO_ZNS_URL}/template/info/v2", params={"template_id": template_id}
    )
    if answer.get("error") != 0:
        raise _refused(answer)
    data = answer.get("data") or {}
    return ZaloTemplate(
        template_id=template_id,
        name=str(data.get("templateName") or template_id)[:200],
        status=str(data.get("status") or ""),
        params=_params_of(data),
    )
