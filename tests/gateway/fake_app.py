"""A stand-in for the app's GET /api/v1/gateway/access, for the auth module's own tests:
answers[key] = (status, body[, delay[, trickle]]): wait `delay` seconds before answering,
then `trickle` seconds between the body's bytes; anything else is a 401. It records each
request's path and key, and can be stopped and started again on the same port."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's naming
        app = self.server.app  # type: ignore[attr-defined]
        key = self.headers.get("X-API-Key", "")
        app.requests.append((self.path, key))
        status, body, delay, trickle = (*app.answers.get(key, (401, {"detail": "no"})), 0, 0)[:4]
        if delay:
            time.sleep(delay)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for start in range(0, len(data), 1 if trickle else len(data) or 1):
                self.wfile.write(data[start : start + 1] if trickle else data)
                self.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


class FakeApp:
    def __init__(self):
        self.answers: dict[str, tuple] = {}
        self.requests: list[tuple[str, str]] = []
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.app = self  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def access(models=None, *, all_models=False, org="acme", ttl=5, email="m@example.com") -> dict:
    """An answer of the app's shape."""
    return {
        "user": {"id": "6f1c1c1e-0000-4000-8000-000000000001", "email": email},
        "org": None if org is None else {"slug": org, "name": org.title(), "role": "contributor"},
        "all_models": all_models,
        "models": list(models or []),
        "ttl": ttl,
    }
