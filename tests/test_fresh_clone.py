"""A fresh clone, as a newcomer's shell sees it: `make run` on its fresh database serves the
login page and the demo owner can log in; the README's shell commands then work as written;
`make demo-reset` starts again from fresh demo data; and `make`'s install rule leaves no build
litter in the checkout.

`make run` (migrate, sync_catalog, seed_demo, then the server) runs once for the module, in one
clone (`served`): the README's commands run on the database it set up, as a newcomer runs them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)
MANAGE = re.compile(r"\.venv/bin/python manage\.py [^|)\n]*")
PLACEHOLDER = re.compile(r"\b(URL|PATH|FILE)\b|[<…]")


def _fresh_clone(dest: Path) -> Path:
    """The tracked files in `dest`, a git repository, with the shared virtualenv as `.venv`."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    (dest / ".venv").symlink_to(VENV)
    return dest


def _env(**extra: str) -> dict[str, str]:
    # A newcomer's shell: none of the variables the test run or a developer may have set.
    dropped = ("DEBUG", "SECRET_KEY", "SECRETS_ENCRYPTION_KEYS", "DATABASE_URL", "REDIS_URL")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in dropped and not k.startswith(("DJANGO_", "PYTEST_", "LITELLM_", "MAKE"))
    }
    return env | extra


def _sh(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def readme_manage_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    # The production block runs with its own exported secrets, not a checkout's defaults.
    development = [block for block in blocks if "DEBUG=0" not in block]
    commands = [m.group(0).strip() for block in development for m in MANAGE.finditer(block)]
    # A server never returns, and a placeholder (URL, <slug>, …) is for the reader to fill in.
    return [c for c in commands if "runserver" not in c and not PLACEHOLDER.search(c)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    clone: Path
    url: str
    log: Path


@pytest.fixture
def clone(tmp_path) -> Path:
    (tmp_path / "clone").mkdir()
    return _fresh_clone(tmp_path / "clone")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make run` in a fresh clone, on its fresh database (db.sqlite3), serving on a free port
    until the module's tests are done. -o: the shared virtualenv is installed already;
    everything else runs as `make run` does."""
    clone = _fresh_clone(tmp_path_factory.mktemp("served"))
    port = _free_port()
    log = tmp_path_factory.mktemp("make-run") / "make-run.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "run", f"PORT={port}"],
            cwd=clone,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not serve within 180 s"
            time.sleep(0.5)
        yield Served(clone, url, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_make_run_serves_the_app_and_the_demo_owner_logs_in(served):
    session = requests.Session()
    login = session.get(f"{served.url}/accounts/login/", timeout=10)
    assert login.status_code == 200 and "Log in" in login.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = session.post(
        f"{served.url}/accounts/login/",
        timeout=10,
        headers={"Referer": f"{served.url}/accounts/login/"},
        data={
            "csrfmiddlewaretoken": token,
            "username": "owner@example.com",
            "password": "demo-password",
        },
    )
    assert response.url == f"{served.url}/settings/chat-models/"
    assert "Chat Models" in response.text and "Members" in response.text
    output = served.log.read_text()
    assert "owner@example.com" in output and "demo-password" in output


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


def test_production_refuses_to_start_without_a_dotenv(clone):
    assert not (clone / ".env").exists()
    result = _sh(".venv/bin/python manage.py check", clone)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_readme_commands_run_after_the_make_run_setup(served):
    clone = served.clone  # `make run` set it up: it serves, so its set-up succeeded
    assert "DEBUG=1" in (clone / ".env").read_text()

    commands = readme_manage_commands()
    assert any("create_api_key member@example.com" in c for c in commands), commands
    for command in commands:
        result = _sh(command, clone)
        assert "Traceback" not in result.stderr, f"{command}\n{result.stderr[-2000:]}"
        if "sync_platform_models" in command:  # the test has no proxy: a clear refusal
            assert result.returncode == 1
            assert "LITELLM_PROXY_URL is not set" in result.stderr
            continue
        assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
        if "create_api_key" in command:  # the key, alone on the last line
            assert result.stdout.strip().splitlines()[-1].startswith("dnk_"), result.stdout
    # Each command the README shows ran: a second sync, the platform refusal, API keys.
    assert {"sync_catalog", "sync_platform_models", "create_api_key"} <= {
        c.split()[2] for c in commands
    }


def test_install_rule_leaves_no_build_litter(clone, tmp_path):
    # The real rule, its stamp in a throwaway place rather than the shared virtualenv, with an
    # installer that leaves what pip's in-tree build of this project leaves (a real build needs
    # `wheel` from the network).
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(VENV / "bin" / "python")
    fake_pip = "mkdir -p build/lib x.egg-info && touch build/lib/m.py x.egg-info/PKG-INFO && true"
    result = _sh(f"make {venv}/.installed VENV={venv} PIP_INSTALL='{fake_pip}'", clone)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (venv / ".installed").exists()
    status = _sh("git status --porcelain --ignored", clone).stdout
    assert "build/" not in status
    assert "egg-info" not in status
