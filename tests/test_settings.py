import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_clean_env(tmp_path, **env):
    """Import the settings in a child process with only the given environment."""
    code = (
        "import json; from console import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECRET_KEY, str(s.DATABASES['default']['NAME'])]))"
    )
    clean = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path), **env}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_empty_environment_is_safe_and_keeps_a_generated_secret_key(tmp_path):
    debug, key, db = _settings_in_clean_env(tmp_path)
    debug2, key2, _ = _settings_in_clean_env(tmp_path)

    assert debug is False and debug2 is False
    assert len(key) >= 50
    assert key2 == key
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert db == str(tmp_path / "db.sqlite3")


def test_debug_and_secret_key_come_from_the_environment(tmp_path):
    debug, key, _ = _settings_in_clean_env(tmp_path, DEBUG="1", SECRET_KEY="from-env")

    assert debug is True
    assert key == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_a_shared_database_without_a_secret_key_stops_startup(tmp_path):
    out = _manage_check(tmp_path, DATABASE_URL="postgres://occ@127.0.0.1:1/occ")

    assert out.returncode != 0
    assert (
        "ImproperlyConfigured: SECRET_KEY must be set when DATABASE_URL is: every instance "
        "that shares the database must sign sessions and sandbox tokens with the same key."
    ) in out.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    "mail",
    [{"EMAIL_HOST": "smtp.example.com"}, {"SANDBOX_ENABLED": "0"}],
    ids=["sandbox-mailing-over-smtp", "no-sandbox"],
)
def test_check_deploy_is_clean_with_production_settings(tmp_path, mail):
    """What a deployment behind a TLS proxy sets: a key of its own, its host name, TLS=1,
    and an SMTP server for the sandbox dashboard's verification codes (unless the sandbox
    is off)."""
    key = "a-production-key-" + "k3y-0f-f1fty-ch4r4ct3rs-0r-m0r3-" * 2

    out = _manage_check(
        tmp_path, "--deploy", "--fail-level", "DEBUG",
        SECRET_KEY=key, ALLOWED_HOSTS="console.example.com", TLS="1", **mail,
    )  # fmt: skip

    assert out.returncode == 0, out.stderr
    assert out.stdout == "System check identified no issues (2 silenced).\n"


def test_tls_redirects_plain_http_but_the_loopback_paths(tmp_path):
    """The health check and the console's calls to the sandbox's own pool stay plain HTTP."""
    redirect, exempt, hsts = _settings_values(
        tmp_path,
        "[s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT, s.SECURE_HSTS_SECONDS]",
        SECRET_KEY="k",
        TLS="1",
    )

    assert redirect is True and hsts == 31536000
    assert exempt == ["^healthz$", "^oauth/token$", "^v1/"]


def _manage_check(tmp_path, *args, **env):
    clean = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_malformed_console_environments_stop_startup_with_a_clear_message(tmp_path):
    out = _manage_check(tmp_path, CONSOLE_ENVIRONMENTS='[{"id": ')

    assert out.returncode != 0
    assert "ImproperlyConfigured: CONSOLE_ENVIRONMENTS is not valid JSON" in out.stderr
    assert "JSONDecodeError" not in out.stderr


def test_configured_console_environments_are_accepted(tmp_path):
    config = '[{"id": "acme", "name": "ACME", "base_url": "https://oc.acme.example"}]'
    out = _manage_check(tmp_path, CONSOLE_ENVIRONMENTS=config)

    assert out.returncode == 0, out.stderr


def test_an_environment_over_plain_http_elsewhere_stops_startup(tmp_path):
    config = '[{"id": "acme", "name": "ACME", "base_url": "http://oc.acme.example"}]'
    out = _manage_check(tmp_path, CONSOLE_ENVIRONMENTS=config)

    assert out.returncode != 0
    assert (
        "ImproperlyConfigured: CONSOLE_ENVIRONMENTS[0].base_url 'http://oc.acme.example' "
        "must use https://"
    ) in out.stderr


def test_malformed_numbers_stop_startup_naming_the_variable(tmp_path):
    out = _manage_check(tmp_path, UPSTREAM_READ_TIMEOUT="30s")

    assert out.returncode != 0
    assert "ImproperlyConfigured: UPSTREAM_READ_TIMEOUT must be a number, not '30s'." in out.stderr


def _settings_values(tmp_path, expression, **env):
    code = f"import json; from console import settings as s; print(json.dumps({expression}))"
    clean = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path), **env}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_console_calls_the_sandbox_at_the_root_of_its_own_pool(tmp_path):
    def base_url(**env):
        return _settings_values(tmp_path, "s.SANDBOX_BASE_URL", SECRET_KEY="k", **env)

    assert base_url() == "http://127.0.0.1:8001"
    assert base_url(PORT="9000") == "http://127.0.0.1:9001"
    assert base_url(PORT="9000", SANDBOX_PORT="9100") == "http://127.0.0.1:9100"
    assert base_url(SANDBOX_BASE_URL="https://elsewhere:1/sandbox") == "https://elsewhere:1/sandbox"


def test_hosts_tls_and_database_url(tmp_path):
    hosts, secure = _settings_values(
        tmp_path, "[s.ALLOWED_HOSTS, getattr(s, 'SESSION_COOKIE_SECURE', False)]", SECRET_KEY="k"
    )
    assert hosts == ["127.0.0.1", "localhost", "[::1]"]
    assert secure is False

    hosts, secure, csrf, proxy = _settings_values(
        tmp_path,
        "[s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER]",
        SECRET_KEY="k",
        TLS="1",
        ALLOWED_HOSTS="console.example.com, other.example.com",
    )
    assert hosts == ["console.example.com", "other.example.com"]
    assert secure is True and csrf is True
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]

    db = _settings_values(
        tmp_path,
        "s.DATABASES['default']",
        SECRET_KEY="k",
        DATABASE_URL="postgres://user:pass@db.example:5433/occ",
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 5433, "occ", "user")
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True


# --- bin/find-python: stub interpreters on a PATH of their own -------------------------


def _stub(path, exit_status):
    """An executable that answers find-python's check with this exit status."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\nexit {exit_status}\n")
    path.chmod(0o755)
    return path


def _find_python(tmp_path, **env):
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    for tool in ("ls", "sort"):  # all find-python needs besides the shell's builtins
        if not (tools / tool).exists():
            (tools / tool).symlink_to(shutil.which(tool))
    env = {"HOME": str(tmp_path / "home"), **env}
    env["PATH"] = f"{tmp_path / 'bin'}:{tools}" + env.pop("EXTRA_PATH", "")
    out = subprocess.run(
        ["/bin/sh", ROOT / "bin" / "find-python"], env=env, capture_output=True, text=True
    )
    return out.returncode, out.stdout.strip(), out.stderr


def test_find_python_skips_an_old_python3_for_pyenv_versions(tmp_path):
    _stub(tmp_path / "bin" / "python3", 1)  # 3.11
    _stub(tmp_path / "bin" / "python3.13", 1)  # a pyenv shim for a version not selected
    root = tmp_path / "pyenv"
    _stub(root / "versions" / "3.11.7" / "bin" / "python3", 1)
    _stub(root / "versions" / "3.12.1" / "bin" / "python3", 0)
    best = _stub(root / "versions" / "3.13.0" / "bin" / "python3", 0)

    assert _find_python(tmp_path, PYENV_ROOT=str(root)) == (0, str(best), "")


def test_find_python_looks_under_home_pyenv_without_pyenv_root(tmp_path):
    _stub(tmp_path / "bin" / "python3", 1)
    found = _stub(tmp_path / "home" / ".pyenv" / "versions" / "3.12.1" / "bin" / "python3", 0)

    assert _find_python(tmp_path) == (0, str(found), "")


def test_find_python_prefers_a_suitable_one_on_path(tmp_path):
    found = _stub(tmp_path / "bin" / "python3.12", 0)
    _stub(tmp_path / "home" / ".pyenv" / "versions" / "3.13.0" / "bin" / "python3", 0)

    assert _find_python(tmp_path) == (0, str(found), "")


def test_find_python_uses_only_the_python_override(tmp_path):
    good = _stub(tmp_path / "bin" / "python3", 0)
    chosen = _stub(tmp_path / "elsewhere" / "python", 0)
    old = _stub(tmp_path / "elsewhere" / "python3.11", 1)

    assert _find_python(tmp_path, PYTHON=str(chosen)) == (0, str(chosen), "")
    status, out, err = _find_python(tmp_path, PYTHON=str(old))
    assert (status, out) == (1, "")
    assert f"PYTHON={old} is not a Python >= 3.12" in err
    assert good  # a suitable python3 on PATH does not replace the override
    status, out, err = _find_python(tmp_path, PYTHON="no-such-python")
    assert (status, out) == (1, "")
    assert "PYTHON=no-such-python is not a Python >= 3.12" in err


def test_find_python_without_a_suitable_python_says_so(tmp_path):
    _stub(tmp_path / "bin" / "python3", 1)

    status, out, err = _find_python(tmp_path)

    assert (status, out) == (1, "")
    assert "No Python >= 3.12 found" in err and "set PYTHON=" in err


# --- bin/serve: the two pools live and die together ------------------------------------

# Stands in for gunicorn: records its arguments and pid, then either fails at once like a
# pool that cannot bind its port or serves (sleeps) until it is stopped.
FAKE_GUNICORN = """#!/bin/sh
case "$*" in *"--name ordercloud-$FAIL"*) echo "cannot bind" >&2; exit 1;; esac
case "$*" in *ordercloud-sandbox*) pool=sandbox;; *) pool=console;; esac
echo "$*" > "$STATE/$pool.args"
echo $$ > "$STATE/$pool.pid.tmp" && mv "$STATE/$pool.pid.tmp" "$STATE/$pool.pid"
exec sleep 60
"""


def _serve(tmp_path, fail="", signal_after=None, **extra):
    gunicorn = tmp_path / "gunicorn"
    gunicorn.write_text(FAKE_GUNICORN)
    gunicorn.chmod(0o755)
    env = {
        "PATH": os.environ["PATH"],
        "GUNICORN": str(gunicorn),
        "STATE": str(tmp_path),
        "FAIL": fail or "no-pool",
        "PORT": "18555",
        **extra,
    }
    proc = subprocess.Popen(
        ["/bin/sh", ROOT / "bin" / "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if signal_after is not None:
        deadline = time.monotonic() + 10
        pools = ("console",) if extra.get("SANDBOX_ENABLED") == "0" else ("sandbox", "console")
        while not all((tmp_path / f"{p}.pid").exists() for p in pools):
            assert time.monotonic() < deadline, "the pools did not start"
            time.sleep(0.05)
        proc.send_signal(signal_after)
    _, err = proc.communicate(timeout=15)
    return proc.returncode, err.decode()


def _running(pid_file):
    if not pid_file.exists():
        return False  # stopped by bin/serve before it got as far as writing its pid
    try:
        os.kill(int(pid_file.read_text()), 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_stops_the_console_pool_when_the_sandbox_pool_cannot_start(tmp_path):
    status, err = _serve(tmp_path, fail="sandbox")

    assert status == 1
    assert "the sandbox pool on 127.0.0.1:18556 stopped" in err
    assert not _running(tmp_path / "console.pid")


def test_serve_stops_the_sandbox_pool_when_the_console_pool_cannot_start(tmp_path):
    status, err = _serve(tmp_path, fail="console")

    assert status == 1
    assert "the console pool on 127.0.0.1:18555 stopped" in err
    assert not _running(tmp_path / "sandbox.pid")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_both_pools_on_a_signal(tmp_path, sig):
    status, _ = _serve(tmp_path, signal_after=sig)

    assert status == 128 + sig
    assert not _running(tmp_path / "sandbox.pid")
    assert not _running(tmp_path / "console.pid")
    sandbox_args = (tmp_path / "sandbox.args").read_text()
    console_args = (tmp_path / "console.args").read_text()
    assert "--bind 127.0.0.1:18556" in sandbox_args
    assert "--bind 127.0.0.1:18555" in console_args
    assert "--no-control-socket" in sandbox_args  # the two pools would share one
    # The sandbox's pool serves it at its root; the console's, the console (and /sandbox/).
    assert sandbox_args.startswith("sandbox.wsgi:application ")
    assert console_args.startswith("console.wsgi:application ")


def test_serve_without_the_sandbox_starts_the_console_pool_alone(tmp_path):
    status, _ = _serve(tmp_path, signal_after=signal.SIGTERM, SANDBOX_ENABLED="0")

    assert status == -signal.SIGTERM  # the signal reached the pool itself (exec'd, no shell)
    assert not (tmp_path / "sandbox.args").exists()
    assert (tmp_path / "console.args").read_text().startswith("console.wsgi:application ")
    assert not _running(tmp_path / "console.pid")


@pytest.mark.parametrize("name", ["SANDBOX_ENABLED", "CONSOLE_LOGIN_REQUIRED"])
def test_switches_are_1_or_0(tmp_path, name):
    values = [
        _settings_values(tmp_path, f"s.{name}", SECRET_KEY="k", **({name: v} if v else {}))
        for v in ("", "0", "1")
    ]
    out = _manage_check(tmp_path, SECRET_KEY="k", **{name: "yes"})

    assert values == [name == "SANDBOX_ENABLED", False, True]
    assert f"ImproperlyConfigured: {name} must be 1 or 0, not 'yes'." in out.stderr
