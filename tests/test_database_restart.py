"""PostgreSQL restarted under load, behind a real gunicorn: with CONN_HEALTH_CHECKS the restart
costs at most the requests that were in flight when it went down (each a Swedish 503, never a
500): those arriving while it is down wait for it (new connections are retried), and every
request after it succeeds; after a restart while idle, not one
fails. Always on a PostgreSQL cluster of the test's own (never the shared one), whatever
DATABASE_URL says. The figures go to test-artifacts/database-restart.txt."""

import threading
import time
from dataclasses import dataclass

from tests.conftest import ARTIFACTS_DIR
from tests.servers import fetch, gunicorn, production_env

LOAD_SECONDS = 20
RESTART_AT = 6
CLIENTS = 4
PAGES = ["/kommun/lulea/", "/delfragor/?kommun=kalix", "/rankning/", "/healthz"]
FINDERS = {
    "WHITENOISE_USE_FINDERS": "1",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


@dataclass
class Result:
    path: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all


def load(url: str, until: float, results: list[Result], client: int) -> None:
    n = client
    while time.monotonic() < until:
        path = PAGES[n % len(PAGES)]
        n += 1
        started = time.monotonic()
        try:
            status = fetch(url + path, timeout=60).status
        except OSError:
            status = 0
        results.append(Result(path, started, time.monotonic(), status))


def test_a_database_restart_under_load_costs_at_most_the_requests_in_flight(
    production_data, tmp_path
):
    database_url, cluster = production_data.postgres()
    env = production_env(DATABASE_URL=database_url, LOG_LEVEL="WARNING", **FINDERS)
    with gunicorn(env, tmp_path, workers=2) as server:
        for path in PAGES:  # every thread's connection opened and the pages warm
            assert fetch(server.url + path, timeout=60).status == 200

        results: list[Result] = []
        start = time.monotonic()
        clients = [
            threading.Thread(target=load, args=(server.url, start + LOAD_SECONDS, results, i))
            for i in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        time.sleep(RESTART_AT)
        stopping = time.monotonic()
        cluster.stop("fast")  # as cluster.restart(), with the moment it was down
        stopped = time.monotonic()
        cluster.start()
        ready = time.monotonic()
        for thread in clients:
            thread.join(timeout=LOAD_SECONDS + 120)
        assert not any(thread.is_alive() for thread in clients)

        # Idle now: every persistent connection died with a second restart.
        cluster.restart()
        after_idle = [fetch(server.url + PAGES[i % 4], timeout=60).status for i in range(12)]
        log = server.output()

    failed = [r for r in results if r.status != 200]
    in_flight = [r for r in results if r.started < stopped and r.ended > stopping]
    while_down = [r for r in results if stopped <= r.started < ready]
    after = [r for r in results if r.started >= ready]
    back = min((r.ended for r in results if r.status == 200 and r.started >= stopping), default=0)
    figures = (
        f"{len(results)} requests in {LOAD_SECONDS} s from {CLIENTS} clients; PostgreSQL "
        f"restarted at {stopping - start:.1f} s, down for {ready - stopping:.2f} s; "
        f"{len(failed)} failed ({sorted({r.status for r in failed})}), "
        f"{len(in_flight)} were in flight as it went down, {len(while_down)} arrived while it "
        f"was down ({sum(r.status != 200 for r in while_down)} of them failed); "
        f"200 again {back - stopping:.2f} s after the restart began; "
        f"{len(after)} requests after it, {sum(r.status != 200 for r in after)} failed; "
        f"after an idle restart {after_idle.count(200)} of {len(after_idle)} answered 200."
    )
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    (ARTIFACTS_DIR / "database-restart.txt").write_text(figures + "\n")
    print(figures)

    assert len(results) >= 20, figures  # it was load
    assert all(r.status == 503 for r in failed), figures  # never a 500 or a dropped connection
    # Each client has one request in flight at a time: at most CLIENTS were cut off.
    assert len(failed) <= CLIENTS, figures
    assert all(r.started < stopped and r.ended > stopping for r in failed), figures
    assert all(r.status == 200 for r in while_down), figures
    assert after and all(r.status == 200 for r in after), figures
    assert back and back - stopping < 15, figures
    assert after_idle == [200] * 12, figures
    assert "Traceback" not in log and "Internal Server Error" not in log, log
