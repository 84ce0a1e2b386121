"""A local stand-in for Zalo's and the SMS providers' servers, speaking their documented HTTP
requests and answers (the error answers included), for the tests of channel.notify.

``Standin`` runs an HTTP server on 127.0.0.1 in a thread. It keeps what a real provider keeps:
the valid access tokens, refresh tokens that work once, authorisation codes bound to a PKCE
challenge, the OA's templates and their approval state; it records every request it received.
A test scripts trouble with ``fail_next(path, …)``: an error answer, HTTP 429 with a reset time,
a server error, or a timeout (the answer comes after the client gave up).

The fixture ``standin`` (tests/channel/conftest.py) starts it and points the settings at it.
"""

import base64
import hashlib
import http.server
import itertools
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

APP_ID = "4242424242424242424"
APP_SECRET = "stand-in-app-secret"
OA_SECRET = "stand-in-oa-secret"
SMS_API_KEY = "stand-in-sms-key"
SMS_SECRET_KEY = "stand-in-sms-secret"

ESMS_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
SPEEDSMS_PATH = "/index.php/sms/send"


@dataclass
class Received:
    """One request the stand-in received."""

    method: str
    path: str
    headers: dict
    query: dict
    body: bytes
    # When it arrived (time.monotonic()), for the tests of waiting before a retry.
    at: float = field(default_factory=time.monotonic)

    def json(self) -> dict:
        return json.loads(self.body or b"{}")

    def form(self) -> dict:
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}


@dataclass
class Trouble:
    """An answer scripted for the next request(s) to a path."""

    status: int = 200
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    times: int = 1


class Standin:
    """The provider's side: state, scripted trouble, and the requests it received."""

    def __init__(self):
        self.requests: list[Received] = []
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.used_refresh_tokens: set[str] = set()
        self.codes: dict[str, str] = {}  # code → PKCE challenge
        self.templates: dict[str, dict] = {}
        self.trouble: dict[str, list[Trouble]] = {}
        self.sms_request_ids: dict[str, str] = {}
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- Set-up by the tests ------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "Standin":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def issue_tokens(self) -> tuple[str, str]:
        """Return a fresh access token and refresh token that the stand-in accepts."""
        access, refresh = f"access-{secrets.token_hex(8)}", f"refresh-{secrets.token_hex(8)}"
        with self._lock:
            self.access_tokens.add(access)
            self.refresh_tokens.add(refresh)
        return access, refresh

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far invalid, as after 25 hours."""
        with self._lock:
            self.access_tokens.clear()

    def authorisation_code(self, code_challenge: str) -> str:
        """Return the code Zalo's callback would carry after the OA granted the permissions."""
        code = f"code-{secrets.token_hex(6)}"
        self.codes[code] = code_challenge
        return code

    def add_template(self, template_id: str, *, status: str = "ENABLE", params=("code",)):
        self.templates[template_id] = {
            "templateId": int(template_id),
            "templateName": f"Template {template_id}",
            "status": status,
            "params": list(params),
        }

    def fail_next(self, path: str, trouble: Trouble) -> None:
        """Answer the next ``trouble.times`` requests to ``path`` with ``trouble``."""
        self.trouble.setdefault(path, []).append(trouble)

    def sent(self, path: str) -> list[Received]:
        """Return the requests received at ``path``, in order."""
        return [request for request in self.requests if request.path == path]

    # --- The server ---------------------------------------------------------------------------

    def _scripted(self, path: str) -> Trouble | None:
        with self._lock:
            queue = self.trouble.get(path) or []
            if not queue:
                return None
            trouble = queue[0]
            trouble.times -= 1
            if trouble.times <= 0:
                queue.pop(0)
            return trouble

    def _answer(self, request: Received) -> tuple[int, dict, dict]:
        trouble = self._scripted(request.path)
        if trouble is not None:
            if trouble.delay:
                time.sleep(trouble.delay)
            return trouble.status, trouble.body or {}, trouble.headers
        route = {
            ("POST", "/v4/oa/access_token"): self._oauth,
            ("POST", "/message/template"): self._zns,
            ("GET", "/template/all"): self._templates,
            ("GET", "/template/info/v2"): self._template_info,
            ("POST", "/v3.0/oa/message/cs"): self._oa_message,
            ("POST", ESMS_PATH): self._esms,
            ("POST", SPEEDSMS_PATH): self._speedsms,
        }.get((request.method, request.path))
        if route is None:
            return 404, {"error": 404, "message": "not found"}, {}
        return route(request)

    def _authorised(self, request: Received) -> bool:
        return request.headers.get("access_token") in self.access_tokens

    def _oauth(self, request: Received):
        form = request.form()
        if request.headers.get("secret_key") != APP_SECRET or form.get("app_id") != APP_ID:
            return 200, {"error": -14002, "error_description": "Invalid app_id or secret"}, {}
        if form.get("grant_type") == "authorization_code":
            challenge = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if challenge is None or challenge != expected:
                return 200, {"error": -14019, "error_description": "Invalid code verifier"}, {}
        elif form.get("grant_type") == "refresh_token":
            token = form.get("refresh_token", "")
            with self._lock:
                if token not in self.refresh_tokens:
                    return (
                        200,
                        {"error": -14020, "error_description": "Refresh token is invalid or used"},
                        {},
                    )
                self.refresh_tokens.discard(token)
                self.used_refresh_tokens.add(token)
        else:
            return 200, {"error": -14001, "error_description": "Invalid grant_type"}, {}
        access, refresh = self.issue_tokens()
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}, {}

    def _zns(self, request: Received):
        if not self._authorised(request):
            return 200, {"error": -216, "message": "Access token is invalid"}, {}
        body = request.json()
        template = self.templates.get(str(body.get("template_id")))
        if template is None:
            return 200, {"error": -1123, "message": "Template not found"}, {}
        if template["status"] != "ENABLE":
            return 200, {"error": -1131, "message": "Template is not approved"}, {}
        phone = str(body.get("phone", ""))
        if not (phone.startswith("84") and len(phone) == 11):
            return 200, {"error": -108, "message": "Phone number is invalid"}, {}
        missing = [p for p in template["params"] if p not in (body.get("template_data") or {})]
        if missing:
            return 200, {"error": -1130, "message": f"Missing parameter {missing[0]}"}, {}
        data = {"msg_id": f"zns-{next(self._ids)}", "sent_time": str(int(time.time() * 1000))}
        return 200, {"error": 0, "message": "Success", "data": data}, {}

    def _templates(self, request: Received):
        if not self._authorised(request):
            return 200, {"error": -216, "message": "Access token is invalid"}, {}
        offset = int(request.query.get("offset", 0))
        limit = int(request.query.get("limit", 100))
        items = [
            {k: v for k, v in template.items() if k != "params"}
            for template in self.templates.values()
        ]
        return (
            200,
            {
                "error": 0,
                "message": "Success",
                "data": items[offset : offset + limit],
                "metadata": {"total": len(items)},
            },
            {},
        )

    def _template_info(self, request: Received):
        if not self._authorised(request):
            return 200, {"error": -216, "message": "Access token is invalid"}, {}
        template = self.templates.get(request.query.get("template_id", ""))
        if template is None:
            return 200, {"error": -1123, "message": "Template not found"}, {}
        params = [
            {"name": name, "require": True, "type": "STRING", "maxLength": 30}
            for name in template["params"]
        ]
        data = {**{k: v for k, v in template.items() if k != "params"}, "listParams": params}
        return 200, {"error": 0, "message": "Success", "data": data}, {}

    def _oa_message(self, request: Received):
        if not self._authorised(request):
            return 200, {"error": -216, "message": "Access token is invalid"}, {}
        body = request.json()
        user_id = (body.get("recipient") or {}).get("user_id")
        if not user_id:
            return 200, {"error": -201, "message": "user_id is invalid"}, {}
        data = {"message_id": f"oa-{next(self._ids)}", "user_id": user_id}
        return 200, {"error": 0, "message": "Success", "data": data}, {}

    def _esms(self, request: Received):
        body = request.json()
        if body.get("ApiKey") != SMS_API_KEY or body.get("SecretKey") != SMS_SECRET_KEY:
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}, {}
        if body.get("RequestId") in self.sms_request_ids:
            return 200, {"CodeResult": "124", "ErrorMessage": "Duplicate RequestId"}, {}
        phone = str(body.get("Phone", ""))
        if not (phone.startswith("84") and len(phone) == 11):
            return 200, {"CodeResult": "99", "ErrorMessage": "Phone invalid"}, {}
        sms_id = f"esms-{next(self._ids)}"
        self.sms_request_ids[body.get("RequestId", sms_id)] = sms_id
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}, {}

    def _speedsms(self, request: Received):
        expected = "Basic " + base64.b64encode(f"{SMS_API_KEY}:x".encode()).decode()
        if request.headers.get("authorization") != expected:
            return 401, {"status": "error", "code": "007", "message": "Invalid token"}, {}
        data = {"tranId": next(self._ids), "totalSMS": 1, "totalPrice": 250, "invalidPhone": []}
        return 200, {"status": "success", "code": "00", "data": data}, {}

    def _handler(self):
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    method=self.command,
                    path=parsed.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    query={k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with standin._lock:
                    standin.requests.append(request)
                status, body, headers = standin._answer(request)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a scripted timeout)

            do_GET = do_POST = _handle

            def log_message(self, format, *args):
                pass  # quiet: the tests read ``standin.requests``

        return Handler
