"""Start the project as `make run` does (both gunicorn pools) on free ports, for benchmarks."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(data_dir=None, workers=2, threads=8, extra_env=None):
    """Yield (console_url, sandbox_url) of a fresh, migrated and seeded server (with
    `extra_env` added to its environment variables)."""
    with tempfile.TemporaryDirectory(prefix="occ-bench-") as tmp:
        port, sandbox_port = free_port(), free_port()
        env = {
            **os.environ,
            "DATA_DIR": str(data_dir or tmp),
            "PORT": str(port),
            "SANDBOX_PORT": str(sandbox_port),
            "WORKERS": str(workers),
            "THREADS": str(threads),
            "GUNICORN": str(BIN / "gunicorn"),
            **(extra_env or {}),
        }
        env.pop("DEBUG", None)
        manage = [sys.executable, "manage.py"]
        for args in (["migrate", "--no-input", "-v0"], ["seed_sandbox"]):
            subprocess.run(manage + args, cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            manage + ["collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        log = open(Path(tmp) / "serve.log", "w")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            ["bin/serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        console = f"http://127.0.0.1:{port}"
        sandbox = f"http://127.0.0.1:{sandbox_port}"  # the sandbox pool serves it at its root
        try:
            _wait_for(f"{console}/", proc, log.name)
            _wait_for(f"{sandbox}/v1/me", proc, log.name)
            yield console, sandbox, env
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
            log.close()


def _wait_for(url, proc, log_name):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {Path(log_name).read_text()[-2000:]}")
        try:
            requests.get(url, timeout=2)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s")


def interleave(calls, rounds, warmup):
    """Time each of `calls` ({name: fn(round)}) once per round, in turn, so that machine
    noise hits them alike; {name: [ms, ...]} without the warm-up rounds."""
    timings = {name: [] for name in calls}
    for i in range(warmup + rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call(i)
            elapsed = (time.perf_counter() - start) * 1000
            if i >= warmup:
                timings[name].append(elapsed)
    return timings


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
