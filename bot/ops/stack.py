"""The whole assistant stack: Redis, action server, Rasa server, console and reminder worker.

Used by `make run` (bot/ops/runner.py) and by the integration tests, so both start exactly the same processes.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

from bot.ops.channels_config import credentials
from bot.ops.endpoints_config import connect_host, generated_endpoints
from bot.ops.processes import COLOURS, ManagedProcess, http_ok, live_children, python, stop_together
from bot.ops.redis_server import EmbeddedRedis, RedisUnavailable, mask_url, ping, ping_primary
from bot.security.private_files import DIR_MODE, private_dir
from bot.security.rasa_auth import BearerToken, jwt_key
from bot.security.secrets_check import check_secrets, generated_secret, write_private
from bot.settings import PROJECT_ROOT, Settings


def redis_env(url: str) -> dict[str, str]:
    """The PIMMS_REDIS_* variables endpoints.yml reads, derived from a redis:// URL."""
    parsed = urlparse(url)
    db = (parsed.path or "/0").lstrip("/") or "0"
    return {
        "PIMMS_REDIS_HOST": parsed.hostname or "127.0.0.1",
        "PIMMS_REDIS_PORT": str(parsed.port or 6379),
        "PIMMS_REDIS_DB": db,
        "PIMMS_REDIS_PASSWORD": parsed.password or "",
    }


def module_exists(name: str) -> bool:
    """Whether an importable module exists in the project."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@dataclass
class Stack:
    """Starts and stops the processes of the assistant."""

    env: dict[str, str]
    model: Path
    root: Path = PROJECT_ROOT
    write: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    with_console: bool = True
    with_worker: bool = True
    embedded_redis: EmbeddedRedis | None = None
    # The time the processes live at (tests run them at a pinned moment): the API tokens are issued on it.
    clock: Callable[[], float] = time.time
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    _watchdog_stop: threading.Event = field(default_factory=threading.Event)

    # --- configuration -------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """Settings of the running stack."""
        return Settings.from_env(self.env)

    @property
    def var(self) -> Path:
        """Folder for runtime files (generated credentials, embedded Redis data)."""
        path = Path(self.env.get("PIMMS_DATA_DIR") or self.root / "var")
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        return path

    def prepare(self) -> None:
        """Resolve Redis, the API token and the channel credentials; fail clearly when something is wrong."""
        check_secrets(self.env)  # placeholder or short secrets: refuse before starting anything
        # Secrets, Redis data and spool: 0700/0600 even when made by an older version or another umask (M1).
        private_dir(self.var)
        if self.env.get("REDIS_SENTINELS", "").strip():
            ping_primary(Settings.from_env(self.env))  # the primary the sentinels name
        elif self.env.get("REDIS_URL", "").strip():
            ping(self.env["REDIS_URL"])  # raises RedisUnavailable with a clear message
        else:
            password = generated_secret(self.var / "redis_password")
            self.embedded_redis = EmbeddedRedis(data_dir=self.var / "redis", password=password)
            url = self.embedded_redis.start()
            self.env["REDIS_URL"] = url
            # Lets `python -m bot ...` commands find the embedded server while the stack runs.
            write_private(self.embedded_url_file, url)
            self.write(f"   redis | embedded Redis server started at {mask_url(url)} (data in {self.var / 'redis'})")
        self.env.update(redis_env(self.env["REDIS_URL"]))
        for name, file_name in (
            ("RASA_TOKEN", "rasa_token"),
            ("CONSOLE_SECRET", "console_secret"),
            ("ACTION_TOKEN", "action_token"),
        ):
            if not self.env.get(name):
                self.env[name] = generated_secret(self.var / file_name)
        self.env["RASA_JWT_SECRET"] = jwt_key(self.env["RASA_TOKEN"])
        settings = self.settings
        self.env.setdefault("ACTION_PORT", str(settings.action_port))
        self.env.setdefault("RASA_PORT", str(settings.rasa_port))
        self.env.setdefault("RASA_URL", settings.rasa_url)
        self.env.setdefault("TRACKER_TTL_SECONDS", str(settings.tracker_ttl_seconds))
        self.env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        self.env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # One setting for scale-out: RASA_WORKERS Rasa processes share the port, Redis and the FIFO lock store.
        self.env["SANIC_WORKERS"] = str(max(1, settings.rasa_workers))
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        # Rasa's pinned dependencies print pages of deprecation warnings that hide the useful lines.
        self.env.setdefault("PYTHONWARNINGS", "ignore")
        self.env["PYTHONPATH"] = str(self.root)
        creds = credentials(settings)
        write_private(self.credentials_file, yaml.safe_dump(creds, sort_keys=False))
        # endpoints.yml's other sections (an event broker, say) are kept; these three are generated.
        base = yaml.safe_load((self.root / "endpoints.yml").read_text(encoding="utf-8")) or {}
        write_private(self.endpoints_file, yaml.safe_dump(generated_endpoints(base, settings), sort_keys=False))
        self.channels = creds

    @property
    def embedded_url_file(self) -> Path:
        """Where the embedded Redis server's URL is written while it runs."""
        return self.var / "redis.url"

    @property
    def endpoints_file(self) -> Path:
        """The generated Rasa endpoints file (authenticated action server, Redis stores)."""
        return self.var / "endpoints.yml"

    @property
    def host(self) -> str:
        """Where this machine's clients reach the servers (loopback unless BIND_HOST names an address)."""
        return connect_host(self.settings.bind_host)

    @property
    def credentials_file(self) -> Path:
        """The generated Rasa credentials file."""
        return self.var / "credentials.yml"

    # --- processes -----------------------------------------------------------------------------------
    def _spawn(self, name: str, args: list[str]) -> ManagedProcess:
        proc = ManagedProcess(
            name=name,
            args=args,
            env=self.env,
            cwd=self.root,
            write=self.write,
            colour=COLOURS[len(self.processes) % len(COLOURS)] if os.isatty(1) else "",
        )
        proc.start()
        self.processes[name] = proc
        return proc

    def start_actions(self, timeout: float = 60) -> None:
        """Start the Rasa SDK action server and wait for its health check."""
        port = self.env["ACTION_PORT"]
        proc = self._spawn("actions", [python(), "-m", "actions.server"])
        proc.wait_ready(f"http://{self.host}:{port}/health", timeout)

    def start_rasa(self, timeout: float = 240) -> None:
        """Start the Rasa server (REST + enabled channels, token-protected HTTP API) and wait for the model."""
        port = self.env["RASA_PORT"]
        # Secrets are passed as @env:NAME and expanded inside the process: never visible in `ps`.
        args = [
            python(),
            "-m",
            "bot.ops.launch",
            "rasa",
            "run",
            "--model",
            str(self.model),
            "--endpoints",
            str(self.endpoints_file),
            "--credentials",
            str(self.credentials_file),
            "--enable-api",
            "--auth-token",
            "@env:RASA_TOKEN",
            "--jwt-secret",
            "@env:RASA_JWT_SECRET",
            "--jwt-method",
            "HS256",
            "--port",
            port,
            "--interface",
            self.settings.bind_host,
        ]
        proc = self._spawn("rasa", args)
        headers = BearerToken(self.env["RASA_TOKEN"], clock=self.clock).headers()
        proc.wait_ready(f"http://{self.host}:{port}/status", timeout, headers)

    def stop_rasa(self) -> None:
        """Stop the Rasa server only."""
        proc = self.processes.pop("rasa", None)
        if proc:
            proc.stop()

    def start_console(self, timeout: float = 60) -> None:
        """Start the mediators' console when the feature is installed."""
        if not (self.with_console and module_exists("bot.console.__main__")):
            return
        port = self.env.setdefault("CONSOLE_PORT", str(self.settings.console_port))
        proc = self._spawn("console", [python(), "-m", "bot.console"])
        proc.wait_ready(f"http://{self.host}:{port}/login", timeout)

    def start_worker(self) -> None:
        """Start the reminder worker (arq) when the feature is installed."""
        if not (self.with_worker and module_exists("bot.ops.worker")):
            return
        self._spawn("worker", [python(), "-m", "bot.ops.launch", "arq", "bot.ops.worker.WorkerSettings"])

    def start(self) -> None:
        """Prepare and start every process, in dependency order."""
        self.prepare()
        self.start_actions()
        self.start_rasa()
        self.start_console()
        self.start_worker()
        threading.Thread(target=self._watch_redis, daemon=True).start()

    def _watch_redis(self) -> None:
        """Log loudly when Redis stops answering: Rasa would otherwise answer nothing, silently."""
        down = False
        while not self._watchdog_stop.wait(5):
            try:
                ping(self.env["REDIS_URL"], timeout=2)
                if down:
                    self.write(f"   redis | Redis answers again at {mask_url(self.env['REDIS_URL'])}")
                down = False
            except RedisUnavailable as exc:
                if not down:
                    self.write(f"   redis | ALERT: {exc}. Messages cannot be processed until it is back.")
                down = True

    def stop(self, timeout: float = 12.0) -> None:
        """Stop every process, in parallel and bounded, then the embedded Redis server.

        Front processes (Rasa drains its turns, console, worker) first, then the action server they
        call, then Redis that all of them use; whatever does not stop in time is killed.
        """
        self._watchdog_stop.set()
        backends = {"actions"}
        front = [self.processes.pop(n) for n in reversed(list(self.processes)) if n not in backends]
        stop_together(front, timeout)
        stop_together([self.processes.pop(n) for n in list(self.processes)], timeout / 2)
        if self.embedded_redis:
            self.embedded_redis.stop()
            self.embedded_redis = None
            self.embedded_url_file.unlink(missing_ok=True)

    def wait_alive(self, poll: float = 1.0) -> str:
        """Block while every process runs; return the name of the first one that exits.

        Rasa's extra Sanic workers (RASA_WORKERS > 1) are its master's children: one that dies alone is
        neither restarted nor noticed by Sanic, so it counts as Rasa stopping ("rasa worker").
        """
        workers_seen = 0
        while True:
            for name, proc in self.processes.items():
                if not proc.alive:
                    return name
            rasa = self.processes.get("rasa")
            if rasa is not None and self.settings.rasa_workers > 1:
                workers = live_children(rasa)
                if workers < workers_seen:
                    return "rasa worker"
                workers_seen = max(workers_seen, workers)
            time.sleep(poll)

    def urls(self) -> Mapping[str, str]:
        """Public URLs of the running stack."""
        rasa = f"http://{self.host}:{self.env['RASA_PORT']}"
        urls = {"rest": f"{rasa}/webhooks/rest/webhook", "api": f"{rasa}/ (HTTP API, Authorization: Bearer JWT)"}
        if "console" in self.processes:
            urls["console"] = f"http://{self.host}:{self.env['CONSOLE_PORT']}"
        return urls

    def healthy(self) -> bool:
        """Whether the Rasa server answers."""
        return http_ok(f"http://{self.host}:{self.env['RASA_PORT']}/")
