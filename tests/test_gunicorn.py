"""deploy/gunicorn.conf.py: the settings gunicorn resolves from it, and a real server started
with it (static files only here; pages through nginx are in test_production_stack.py)."""

import subprocess
import urllib.request

from tests.servers import BIN, GUNICORN_CONFIG, ROOT, gunicorn, production_env


def resolved_config(**env: str) -> dict[str, str]:
    result = subprocess.run(
        [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONFIG), "--print-config"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_workers_are_sized_from_the_cpus_and_can_be_set():
    import os

    cpus = len(os.sched_getaffinity(0))
    config = resolved_config()
    assert config["workers"] == str(2 * cpus + 1)
    assert config["worker_class"] == "gthread"
    assert config["threads"] == "2"
    assert config["timeout"] == "30"
    assert config["limit_request_line"] == "4094"
    assert config["control_socket_disable"] == "True"
    assert config["accesslog"] == "None"  # LOG_LEVEL defaults to WARNING
    override = resolved_config(GUNICORN_WORKERS="3", GUNICORN_THREADS="4", LOG_LEVEL="info")
    assert (override["workers"], override["threads"], override["accesslog"]) == ("3", "4", "-")


def test_a_bad_worker_count_stops_gunicorn_with_the_variables_name():
    result = subprocess.run(
        [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONFIG), "--check-config"],
        cwd=ROOT,
        env=production_env(GUNICORN_WORKERS="many"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "GUNICORN_WORKERS='many' is not a whole number" in result.stdout + result.stderr


def test_gunicorn_serves_with_one_access_line_per_request(tmp_path):
    env = production_env(
        LOG_LEVEL="INFO",
        WHITENOISE_USE_FINDERS="1",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    with gunicorn(env, tmp_path, workers=1) as server:
        before = server.output().count('"GET /static/css/site.css')
        request = urllib.request.Request(
            server.url + "/static/css/site.css", headers={"X-Forwarded-For": "192.0.2.7"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert response.headers["Server"] == "gunicorn"  # no version
            assert b"font" in response.read()
    lines = [line for line in server.output().splitlines() if "/static/css/site.css" in line]
    assert before == 0
    assert len(lines) == 1, server.output()
    assert lines[0].startswith('192.0.2.7 "GET /static/css/site.css HTTP/1.1" 200 ')
