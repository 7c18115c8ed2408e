"""deploy/kompass.service: systemd accepts the unit, and gunicorn keeps the promises it makes
(Type=notify: it says when it is ready; ExecReload: HUP swaps workers without dropping service)."""

import os
import shutil
import signal
import socket
import subprocess
import urllib.request

import pytest

from tests.servers import BIN, ROOT, gunicorn, production_env

UNIT = ROOT / "deploy" / "kompass.service"
STATIC_FROM_FINDERS = {
    "WHITENOISE_USE_FINDERS": "1",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_unit_without_a_warning(tmp_path):
    # The unit names the installed path; point it at this checkout's gunicorn to verify the rest.
    unit = tmp_path / "kompass.service"
    unit.write_text(
        UNIT.read_text().replace("/srv/kompass/.venv/bin/gunicorn", str(BIN / "gunicorn"))
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_gunicorn_tells_systemd_when_it_is_ready_and_serves_through_a_reload(tmp_path):
    unit = UNIT.read_text().splitlines()
    assert "Type=notify" in unit
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in unit
    notify_path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(str(notify_path))
        notify.settimeout(60)
        env = production_env(
            NOTIFY_SOCKET=str(notify_path), LOG_LEVEL="INFO", **STATIC_FROM_FINDERS
        )
        with gunicorn(env, tmp_path, workers=1) as server:
            message = notify.recv(4096).decode()
            assert "READY=1" in message.splitlines()

            os.kill(server.process.pid, signal.SIGHUP)
            for _ in range(5):
                with urllib.request.urlopen(server.url + "/static/favicon.svg", timeout=30) as r:
                    assert r.status == 200
            assert server.process.poll() is None
        assert "Hang up: Master" in server.output()
        assert server.output().count("Booting worker") == 2  # the new one after HUP
