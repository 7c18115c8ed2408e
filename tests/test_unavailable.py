"""A database that is down, seen through a real gunicorn: a Swedish 503 page with Retry-After,
never a traceback, and /healthz says so. The restart of a running PostgreSQL is in
test_database_restart.py."""

import pytest

from tests.servers import fetch, free_port, gunicorn, production_env

FINDERS = {
    "WHITENOISE_USE_FINDERS": "1",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def unreachable_database(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/no-such-directory/db.sqlite3"
    return f"postgres://postgres@127.0.0.1:{free_port()}/kompass"  # nothing listens there


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_pages_answer_503_in_swedish_with_retry_after_when_the_database_is_down(tmp_path, kind):
    # New connections are retried for a second (a restart), then the page says so.
    env = production_env(
        DATABASE_URL=unreachable_database(kind, tmp_path),
        DATABASE_CONNECT_RETRY_SECONDS="1",
        **FINDERS,
    )
    pages = ["/", "/kommun/lulea/", "/delfragor/", "/delfragor/delfragor.csv", "/rankning/"]
    with gunicorn(env, tmp_path, workers=1) as server:
        for path in pages:
            answer = fetch(server.url + path)
            assert answer.status == 503, (path, answer.text)
            assert answer.headers["Retry-After"] == "30"
            assert answer.headers["Cache-Control"] == "no-store"
            assert "Kompass är tillfälligt otillgänglig" in answer.text
            assert "Traceback" not in answer.text and "Error" not in answer.text
            assert "Set-Cookie" not in answer.headers
        health = fetch(server.url + "/healthz")
    assert (health.status, health.text) == (503, "database unavailable\n")
    log = server.output()
    assert "Traceback" not in log
    for path in pages:
        assert log.count(f"database unavailable: GET {path}:") == 1, log


def test_healthz_answers_ok_without_cookies_or_a_redirect_to_https(tmp_path):
    database = tmp_path / "db.sqlite3"
    database.touch()  # an empty database still answers SELECT 1
    env = production_env(DATABASE_URL=f"sqlite:///{database}", SECURE_SSL_REDIRECT="1", **FINDERS)
    with gunicorn(env, tmp_path, workers=1) as server:
        health = fetch(server.url + "/healthz")
        page = fetch(server.url + "/", headers={"Host": "localhost"})
    assert (health.status, health.text) == (200, "ok\n")
    assert "Set-Cookie" not in health.headers
    assert "no-store" in health.headers["Cache-Control"]
    assert page.status == 301  # everything else still goes to HTTPS
