"""`make run` on a fresh database serves the login page and the demo owner can log in."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_run_serves_the_app_and_the_demo_owner_logs_in(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "settings_app.settings",
        "DEBUG": "1",
    }
    log = (tmp_path / "make-run.log").open("w+")
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, Path(log.name).read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not serve within 180 s"
            time.sleep(0.5)
        session = requests.Session()
        login = session.get(f"{base}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "Log in" in login.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        response = session.post(
            f"{base}/accounts/login/",
            timeout=10,
            headers={"Referer": f"{base}/accounts/login/"},
            data={
                "csrfmiddlewaretoken": token,
                "username": "owner@example.com",
                "password": "demo-password",
            },
        )
        assert response.url == f"{base}/settings/chat-models/"
        assert "Chat Models" in response.text and "Members" in response.text
        output = Path(log.name).read_text()
        assert "owner@example.com" in output and "demo-password" in output
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_demo_reset_empties_the_database_and_the_cache_then_sets_up_again():
    """`make demo-reset`, which the README offers to start again from fresh demo data."""
    dry = subprocess.run(
        ["make", "-n", "demo-reset"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    lines = dry.splitlines()

    def step(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    assert step("manage.py flush --no-input") < step("cache.clear()") < step("setup")
    assert "make demo-reset" in (ROOT / "README.md").read_text()
