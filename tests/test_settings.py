import json
import os
import subprocess
import sys
from pathlib import Path

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
