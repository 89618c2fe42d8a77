"""The session cookie: encrypted and signed (Fernet), HttpOnly, SameSite=Lax; and CSRF tokens for every form.

It holds what a visitor's browser may keep and nobody else may read: the chosen language, a CSRF token, the
participant tokens that came in mailed links (so they leave the address bar), a staff member's access token.
SameSite=Lax, not Strict: a link in a mail is a top-level navigation from another site, and the cookie must
come along on the redirect that drops the token from the address.
"""

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any, cast

from cryptography.fernet import Fernet, InvalidToken
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "koos_session"
MAX_AGE = 30 * 86_400
MAX_PERSONAL_TOKENS = 4


class Session(dict[str, Any]):
    """The decoded cookie; writing to it marks it for saving."""

    changed = False

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.changed = True

    def pop(self, key: str, default: Any = None) -> Any:
        self.changed = self.changed or key in self
        return super().pop(key, default)

    @property
    def csrf(self) -> str:
        """This browser's CSRF token, made on first use."""
        if "csrf" not in self:
            self["csrf"] = secrets.token_urlsafe(24)
        return str(self["csrf"])

    def keep_token(self, key: str, token: str) -> None:
        """A participant token for one registration (`r:<id>`) or survey (`f:<id>`); the oldest are dropped."""
        tokens = {k: v for k, v in dict(self.get("tokens", {})).items() if k != key}
        tokens[key] = token
        self["tokens"] = dict(list(tokens.items())[-MAX_PERSONAL_TOKENS:])

    def token(self, key: str) -> str | None:
        return cast(str | None, dict(self.get("tokens", {})).get(key))


class Sealer:
    """Encrypts and authenticates the cookie with a key derived from the web's secret."""

    def __init__(self, secret: str) -> None:
        key = base64.urlsafe_b64encode(hashlib.sha256(f"koos-web-session:{secret}".encode()).digest())
        self._fernet = Fernet(key)

    def seal(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            data = json.loads(self._fernet.decrypt(sealed.encode(), ttl=MAX_AGE))
        except (InvalidToken, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


class SessionMiddleware:
    """Puts the session on `request.state.session` (pure ASGI) and writes the cookie back when it changed."""

    def __init__(self, app: ASGIApp, sealer: Sealer, secure: bool) -> None:
        self.app = app
        self.sealer = sealer
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = Session(self.sealer.open(request.cookies.get(COOKIE, "")))
        scope.setdefault("state", {})["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.changed:
                response = Response()
                response.set_cookie(COOKIE, self.sealer.seal(dict(session)), max_age=MAX_AGE, httponly=True,
                                    samesite="lax", secure=self.secure, path="/")
                message.setdefault("headers", []).extend(
                    (k, v) for k, v in response.raw_headers if k == b"set-cookie")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session_of(request: Request) -> Session:
    return cast(Session, request.state.session)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """Whether a form carries this browser's CSRF token (and, when the browser says, comes from this site)."""
    expected = session_of(request).get("csrf")
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}" and origin != _base_origin(request):
        return False
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))


def _base_origin(request: Request) -> str:
    return cast(str, getattr(request.app.state, "origin", ""))

