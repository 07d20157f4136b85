"""LiteLLM `custom_auth` for the platform's model gateway: before the proxy runs a `dn/` alias it
asks the Chat Models app which aliases the caller may run, so an owner's allowlist holds where
the models run, not only in the pickers.

The caller sends their personal API key (the one the CLI/TUI uses) as `Authorization: Bearer`
(or `x-api-key`). This module asks `GET {CHAT_MODELS_URL}/api/v1/gateway/access` with it and
returns LiteLLM's `UserAPIKeyAuth(models=[...])`; the proxy then refuses any other model with
403 and lists only those in `/v1/models`. The proxy config it needs is `SETTINGS` in config.py
(this file beside it or on PYTHONPATH).

The environment it reads (`Config.from_env`: CHAT_MODELS_URL, required, and the bounds on
caching, timeout and grace) and the `X-Org` header are described in the README's "The model
gateway" section. Fails closed: when the app can't be asked (down, slow, an unexpected answer)
the proxy answers 503, never "allow all". Keys are never logged: the cache and LiteLLM see only
a digest. No Django import: this file runs inside the LiteLLM proxy.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger("chat_models.gateway")

# The app's personal API key format (accounts.models.ApiKey): anything else is refused here.
KEY_SHAPE = re.compile(r"dnk_[A-Za-z0-9_-]{1,100}")
SLUG_SHAPE = re.compile(r"[-a-zA-Z0-9_]{1,50}")
ORG_HEADER = "x-org"
# LiteLLM reads `models=[]` as "every model". A member allowed none gets LiteLLM's own name
# for "no model" instead (SpecialModelNames.no_default_models): it is no alias (the app's are
# all `dn/`), matches no deployment, and `/v1/models` never lists it.
NO_MODELS = "no-default-models"
MAX_ENTRIES = 20_000
ACCESS_PATH = "/api/v1/gateway/access"


def _bounded(name: str, default: float, top: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
    return min(max(value, 0.0), top)


@dataclass(frozen=True)
class Config:
    app_url: str
    master_key: str = ""
    cache_seconds: float = 5.0
    timeout: float = 1.0
    grace_seconds: float = 0.0

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            app_url=os.environ.get("CHAT_MODELS_URL", "").strip().rstrip("/"),
            master_key=os.environ.get("LITELLM_MASTER_KEY", "").strip(),
            cache_seconds=_bounded("CHAT_MODELS_CACHE_SECONDS", 5.0, 5.0),
            timeout=_bounded("CHAT_MODELS_TIMEOUT", 1.0, 1.0),
            grace_seconds=_bounded("CHAT_MODELS_GRACE_SECONDS", 0.0, 30.0),
        )


@dataclass(frozen=True)
class Verdict:
    """Who is asking and which models they may run. `admin`: the proxy's master key."""

    key_id: str  # a digest of the key: safe to log, never the key
    user_id: str = ""
    email: str = ""
    org: str | None = None
    all_models: bool = False
    models: tuple[str, ...] = ()
    admin: bool = False

    @property
    def litellm_models(self) -> list[str]:
        """`models` as LiteLLM reads them: [] = every model, so "none" is a name no alias has."""
        if self.all_models:
            return []
        return list(self.models) or [NO_MODELS]


class Refused(Exception):
    """The caller may not use the gateway: `status` is what the proxy answers."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class AppUnavailable(Exception):
    """The app couldn't be asked: down, slow, or an answer that makes no sense."""


@dataclass
class _Entry:
    fresh_until: float
    answer: Verdict | Refused


def _answer(answer: Verdict | Refused) -> Verdict:
    """A kept answer: the verdict, or a copy of the kept refusal, which is never raised itself
    (re-raising one instance would grow its traceback with every request)."""
    if isinstance(answer, Refused):
        raise Refused(answer.status, answer.message)
    return answer


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Gate:
    """One worker's view: the answers it keeps and its connections to the app."""

    config: Config
    clock: Any = time.monotonic
    _entries: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    _pending: dict[str, asyncio.Future[Verdict]] = field(default_factory=dict)
    _client: httpx.AsyncClient | None = None
    _client_loop: asyncio.AbstractEventLoop | None = None

    async def check(self, api_key: str, org: str | None = None) -> Verdict:
        """The caller's verdict, or Refused (401/403/503)."""
        if self.config.master_key and hmac.compare_digest(
            api_key.encode("utf-8", "surrogatepass"),
            self.config.master_key.encode("utf-8", "surrogatepass"),
        ):
            return Verdict(key_id="master-" + _digest(api_key)[:16], admin=True)
        if not KEY_SHAPE.fullmatch(api_key):
            raise Refused(401, "Send your personal API key (dnk_…) as Authorization: Bearer.")
        if org is not None and not SLUG_SHAPE.fullmatch(org):
            raise Refused(403, "X-Org must be the slug of one of your organizations.")
        name = _digest(api_key, org or "")
        entry = self._entries.get(name)
        if entry is not None and self.clock() < entry.fresh_until:
            return _answer(entry.answer)
        asking = self._pending.get(name)
        if asking is None:  # nobody in this worker is asking for this key yet
            asking = asyncio.ensure_future(self._ask_or_grace(name, api_key, org, entry))
            self._pending[name] = asking
            asking.add_done_callback(lambda done: self._asked(name, done))
        # Shielded: a caller that goes away doesn't cancel the question the others wait on.
        return await asyncio.shield(asking)

    def _asked(self, name: str, done: asyncio.Future[Verdict]) -> None:
        self._pending.pop(name, None)
        if not done.cancelled():
            done.exception()  # retrieved, even when every caller went away

    async def _ask_or_grace(
        self, name: str, api_key: str, org: str | None, entry: _Entry | None
    ) -> Verdict:
        try:
            answer, ttl = await self._ask(api_key, org)
        except AppUnavailable as exc:
            recent = (
                entry is not None
                and isinstance(entry.answer, Verdict)
                and self.clock() < entry.fresh_until + self.config.grace_seconds
            )
            if entry is not None and recent:
                log.warning("Chat Models app unavailable (%s): serving a recent answer", exc)
                return _answer(entry.answer)
            log.error("Chat Models app unavailable (%s): refusing", exc)
            raise Refused(503, "Model access can't be checked right now; try again.") from None
        now = self.clock()
        self._keep(name, _Entry(now + min(self.config.cache_seconds, ttl), answer))
        return _answer(answer)

    def _keep(self, name: str, entry: _Entry) -> None:
        self._entries[name] = entry
        self._entries.move_to_end(name)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)

    def _http(self) -> httpx.AsyncClient:
        """Connections to the app, kept alive; a client belongs to one event loop (the proxy
        runs one per worker)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client_loop = loop
            self._client = httpx.AsyncClient(
                timeout=self.config.timeout,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                follow_redirects=False,
                trust_env=False,
            )
        return self._client

    async def _ask(self, api_key: str, org: str | None) -> tuple[Verdict | Refused, float]:
        """The app's answer for this key and org, with how long it may be kept."""
        if not self.config.app_url:
            raise AppUnavailable("CHAT_MODELS_URL is not set")
        try:
            response = await asyncio.wait_for(
                self._http().get(
                    self.config.app_url + ACCESS_PATH,
                    params={"org": org} if org else None,
                    headers={"X-API-Key": api_key, "Accept": "application/json"},
                ),
                timeout=self.config.timeout,
            )
        except (TimeoutError, httpx.HTTPError) as exc:
            raise AppUnavailable(exc.__class__.__name__) from None
        if response.status_code in {401, 429}:
            # 429: the app throttles bad keys from this address; good keys always pass.
            refusal = Refused(401, "Unknown or revoked API key, or a deactivated account.")
            return refusal, self.config.cache_seconds
        if response.status_code == 404 and org:
            return Refused(403, f"You are not a member of the organization {org!r}."), 0.0
        if response.status_code != 200:
            raise AppUnavailable(f"HTTP {response.status_code}")
        return _verdict(api_key, response)


def _verdict(api_key: str, response: httpx.Response) -> tuple[Verdict, float]:
    try:
        body = response.json()
        user, org, models = body["user"], body["org"], body["models"]
        verdict = Verdict(
            key_id=_digest(api_key)[:16],
            user_id=str(user["id"]),
            email=str(user["email"]),
            org=None if org is None else str(org["slug"]),
            all_models=body["all_models"] is True,
            models=tuple(str(m) for m in models),
        )
        ttl = float(body["ttl"])
    except (ValueError, KeyError, TypeError) as exc:
        missing = exc.__class__.__name__
        raise AppUnavailable(f"an answer without the expected fields ({missing})") from None
    return verdict, max(ttl, 0.0)


_gate: Gate | None = None


def gate() -> Gate:
    """This worker's gate, configured from the environment the first time it is needed."""
    global _gate
    if _gate is None:
        _gate = Gate(Config.from_env())
    return _gate


async def user_api_key_auth(request: Any, api_key: str) -> Any:
    """What LiteLLM's `general_settings.custom_auth` calls for every request."""
    # LiteLLM's own types, imported here: the proxy always has them, and the rest of this file
    # stays importable (and testable) without LiteLLM.
    from litellm.proxy._types import LitellmUserRoles, ProxyException, UserAPIKeyAuth

    org = request.headers.get(ORG_HEADER) if request is not None else None
    try:
        verdict = await gate().check(api_key or "", org)
    except Refused as refusal:
        raise ProxyException(
            message=refusal.message,
            type="auth_error",
            param="Authorization" if refusal.status == 401 else None,
            code=refusal.status,
        ) from None
    if verdict.admin:
        return UserAPIKeyAuth(
            api_key=verdict.key_id,
            user_id="litellm-master-key",
            user_role=LitellmUserRoles.PROXY_ADMIN,
        )
    return UserAPIKeyAuth(
        api_key=verdict.key_id,
        user_id=verdict.user_id,
        user_email=verdict.email,
        user_role=LitellmUserRoles.INTERNAL_USER,
        models=verdict.litellm_models,
        metadata={"chat_models_org": verdict.org},
    )
