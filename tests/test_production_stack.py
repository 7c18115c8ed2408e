"""The production path end to end, as README "Running in production" has it: the env example,
`make build-prod`, `make run-prod` (gunicorn with deploy/gunicorn.conf.py) and Debian's nginx
with deploy/nginx-kompass.conf in front, over TLS. On the database of DATABASE_URL's kind:
a file of its own for SQLite, a PostgreSQL cluster of its own for PostgreSQL."""

import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from base64 import b32decode
from contextlib import ExitStack

import pytest
from django_otp.oath import TOTP

from tests.servers import (
    ROOT,
    TEST_ONLY,
    Browser,
    fetch,
    listening_socket,
    manage,
    nginx,
    scratch_dir,
    stop,
    wait_for_http,
)

ENV_EXAMPLE = ROOT / "deploy" / "kompass.env.example"
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def env_file_from_example(path, **values: str) -> dict[str, str]:
    """deploy/kompass.env.example with the blanks filled in as an operator would."""
    lines, seen = [], set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        name = line.split("=", 1)[0]
        if "=" in line and not line.startswith("#") and name in values:
            line = f"{name}={values[name]}"
            seen.add(name)
        lines.append(line)
    lines += [f"{name}={value}" for name, value in values.items() if name not in seen]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return dict(pairs)


def sub_make_env() -> dict[str, str]:
    """The machine's environment: not the test's settings, nor the outer make's jobserver;
    every setting comes from the env file."""
    skip = TEST_ONLY | {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    return {k: v for k, v in os.environ.items() if k not in skip}


class Stack:
    def __init__(self, base, proxy, gunicorn_url, gunicorn_log, env):
        self.base, self.proxy, self.gunicorn_url = base, proxy, gunicorn_url
        self.gunicorn_log, self.env = gunicorn_log, env
        self.tls = ssl.create_default_context(cafile=str(proxy.certificate))

    def get(self, path: str, **kwargs):
        return fetch(self.proxy.https_url + path, context=self.tls, **kwargs)

    def browser(self) -> Browser:
        return Browser(self.proxy.https_url, context=self.tls)

    def log_in(self, browser: Browser, password: str):
        form = browser.request("/admin/login/?next=/admin/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return browser.request(
            "/admin/login/?next=/admin/",
            data={
                "csrfmiddlewaretoken": token,
                "username": "drift",
                "password": password,
                "next": "/admin/",
            },
            headers={"Origin": self.proxy.https_url},
        )


@pytest.fixture(scope="module")
def stack(production_data, collected_static):
    base = scratch_dir("kompass-stack-")
    try:
        with ExitStack() as resources:
            database_url = production_data.of_database_url_kind()
            sock = listening_socket()
            # As on a server that has been deployed to before: build-prod's collectstatic
            # then compresses only what changed (here nothing; its own test is in
            # test_static_files.py).
            static_root = base / "staticfiles"
            shutil.copytree(collected_static, static_root)
            static_root.chmod(0o755)  # nginx's user reads it
            proxy = resources.enter_context(
                nginx(
                    upstream=f"127.0.0.1:{sock.getsockname()[1]}",
                    static_root=static_root,
                    directory=base,
                )
            )
            origin = proxy.https_url
            env_file = base / "kompass.env"
            values = env_file_from_example(
                env_file,
                SECRET_KEY=secrets.token_urlsafe(50),
                DATABASE_URL=database_url,
                ALLOWED_HOSTS="localhost",
                CSRF_TRUSTED_ORIGINS=origin,
                GUNICORN_BIND=f"fd://{sock.fileno()}",
                GUNICORN_WORKERS="2",
                STATIC_ROOT=str(static_root),
                BACKUP_DIR=str(base / "backups"),
                OPEN_DATA_DIR=str(base / "open-data"),
                DOWNLOADS_ROOT=str(base / "downloads"),
                SITE_URL=origin,
                SERVER_EMAIL="kompass@localhost",
            )
            # Where Django would spool an upload: must stay empty.
            (base / "tmp").mkdir()
            env = {**sub_make_env(), "ENV_FILE": str(env_file), "TMPDIR": str(base / "tmp")}
            built = subprocess.run(
                ["make", "--no-print-directory", "build-prod"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert built.returncode == 0, built.stdout + built.stderr
            server_env = {**sub_make_env(), **values}
            manage(
                "createsuperuser",
                "--no-input",
                env={
                    **server_env,
                    "DJANGO_SUPERUSER_USERNAME": "drift",
                    "DJANGO_SUPERUSER_EMAIL": "drift@localhost",
                    "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
                },
            )
            log = base / "gunicorn.log"
            with log.open("w") as log_file:
                process = subprocess.Popen(
                    ["make", "--no-print-directory", "run-prod"],
                    cwd=ROOT,
                    env=env,
                    pass_fds=(sock.fileno(),),
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            resources.callback(stop, process)
            sock.close()
            gunicorn_url = f"http://127.0.0.1:{proxy_upstream_port(proxy)}"
            wait_for_http(gunicorn_url + "/healthz", process=process, log=log)
            yield Stack(base, proxy, gunicorn_url, log, values)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def proxy_upstream_port(proxy) -> int:
    site = (proxy.directory / "kompass.conf").read_text()
    return int(re.search(r"server 127\.0\.0\.1:(\d+);", site).group(1))


PAGES = [
    "/",
    "/?q=habo",
    "/kommun/lulea/",
    "/kommun/kalix/2012/",
    "/jamfor/?k=lulea&k=kalix",
    "/rankning/?version=2016",
    "/exempel/?q=medborgar",
    "/delfragor/",
    "/delfragor/?kommun=lulea&sortera=-procent",
    "/delfragor/2016/1.4/",
    "/delfragor/delfragor.csv",
    "/delfragor/delfragor.xlsx",
    "/api/v1/evaluations/2580/2018",
    "/data/",
    "/data/kommunkompassen.zip",
    "/om/",
    "/kommun/lulea/2018/poang.csv",
    "/kommun/lulea/inbadda/",
    "/robots.txt",
    "/sitemap.xml",
    "/admin/login/",
    "/healthz",
    "/.well-known/security.txt",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_200_through_nginx_over_tls(stack, path):
    answer = stack.get(path)
    assert answer.status == 200, answer.text[:2000]
    assert answer.headers["Server"] == "nginx"  # no version
    if path not in {"/healthz", "/.well-known/security.txt"}:
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "camera=()" in answer.headers["Permissions-Policy"]
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    if not path.startswith("/admin/"):
        assert "Set-Cookie" not in answer.headers


def test_the_profile_and_the_csv_carry_the_real_reports_figures(stack):
    profile = stack.get("/kommun/lulea/")
    assert "Luleå" in profile.text and "575" in profile.text
    csv = stack.get("/delfragor/delfragor.csv?kommun=lulea&kod=1.5").body.decode("utf-8-sig")
    assert csv.splitlines()[1].split(";")[:1] == ["Luleå"] and ";9,5;" in csv


def headers_of(answer) -> dict[str, str]:
    return {name.lower(): value for name, value in answer.headers.items()}


def test_only_the_embeds_may_be_framed_through_nginx(stack):
    embed = headers_of(stack.get("/kommun/lulea/inbadda/"))
    assert "x-frame-options" not in embed
    assert "frame-ancestors *" in embed["content-security-policy"]
    assert headers_of(stack.get("/kommun/lulea/"))["x-frame-options"] == "DENY"


def test_the_api_and_the_downloads_are_open_to_scripts_on_other_sites(stack):
    origin = {"Origin": "https://forskare.example.org"}
    for path in ("/api/v1/versions", "/data/evaluations.csv"):
        answer = headers_of(stack.get(path, headers=origin))
        assert answer["access-control-allow-origin"] == "*", path
    evaluations = stack.get("/data/evaluations.csv").body.decode()
    assert "2580/2018" in evaluations and "https://localhost" in evaluations


def test_plain_http_is_sent_to_https(stack):
    answer = fetch(stack.proxy.http_url + "/kommun/lulea/?x=1")
    assert answer.status == 301
    assert answer.headers["Location"] == "https://localhost/kommun/lulea/?x=1"


def test_static_files_come_from_nginx_compressed_and_cached_for_a_year(stack):
    page = stack.get("/kommun/lulea/").text
    bundle = re.search(r"/static/vendor/plotly-kompass\.min\.[0-9a-f]{12}\.js", page)
    assert bundle, "the profile links the hashed plotly bundle"
    answer = stack.get(bundle.group(0), headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert not stack.gunicorn_log.read_text().count(bundle.group(0))  # nginx served it
    unhashed = stack.get("/static/vendor/plotly-kompass.min.js")
    assert unhashed.headers["Cache-Control"] == "public, max-age=3600"


def test_axe_core_is_not_served_in_production(stack):
    assert stack.get("/static/vendor/axe.min.js").status == 404
    assert not list((stack.base / "staticfiles").rglob("axe*"))


def test_a_ten_megabyte_post_is_refused_by_nginx_before_it_reaches_gunicorn(stack):
    answer = stack.get("/admin/login/", method="POST", data=b"x" * (10 * 1024 * 1024))
    assert answer.status == 413
    assert "POST /admin/login/" not in stack.gunicorn_log.read_text()


def test_gunicorn_refuses_a_ten_megabyte_body_before_reading_it(stack):
    """Straight to gunicorn (as if nginx were misconfigured): the 413 comes back after the
    headers and the first 64 kB, so the body was neither read nor stored."""
    port = int(stack.gunicorn_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(
            b"POST /admin/login/ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Proto: https\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 10485760\r\n\r\n" + b"x" * 65536
        )
        answer = b""
        while b"</html>" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    text = answer.decode("utf-8", errors="replace")
    assert text.startswith("HTTP/1.1 413 "), text
    assert "Det som skickades är större än 2 MB och togs inte emot." in text
    assert list((stack.base / "tmp").iterdir()) == []


def test_one_access_line_per_request_and_no_other(stack):
    for path in ("/kommun/lulea/?rad=1", "/finns-inte/?rad=1"):
        stack.get(path)
    # gunicorn writes its access line just after the answer has gone out.
    deadline = time.monotonic() + 10
    while stack.gunicorn_log.read_text().count("?rad=1 HTTP/1.1") < 2:
        assert time.monotonic() < deadline, stack.gunicorn_log.read_text()
        time.sleep(0.1)
    time.sleep(0.5)  # a second line would come as soon
    log = stack.gunicorn_log.read_text()
    assert log.count('"GET /kommun/lulea/?rad=1 HTTP/1.1" 200 ') == 1, log
    assert log.count("/finns-inte/?rad=1") == 1, log  # no "Not Found" from Django beside it
    line = next(line for line in log.splitlines() if "/finns-inte/?rad=1" in line)
    assert line.startswith('127.0.0.1 "GET /finns-inte/?rad=1 HTTP/1.1" 404 ')


def test_staff_log_in_through_nginx_with_two_factors_and_a_secure_session_of_a_working_day(
    stack,
):
    browser = stack.browser()
    answer = stack.log_in(browser, ADMIN_PASSWORD)
    # A superuser in production: the password, then setting up the app (its first login).
    assert (answer.status, answer.headers["Location"]) == (302, "/admin/tvastegs/aktivera/")
    assert browser.request("/admin/").status == 302  # not logged in yet
    page = browser.request("/admin/tvastegs/aktivera/").text
    key = re.search(r'<code id="twofactor-key">([A-Z2-7 ]+)</code>', page).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    code = f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"
    answer = browser.request(
        "/admin/tvastegs/aktivera/",
        data={"csrfmiddlewaretoken": token, "code": code},
        headers={"Origin": stack.proxy.https_url},
    )
    assert answer.status == 200 and answer.text.count("<li><code>") == 10
    session = browser.cookie("sessionid")
    assert session.secure and session.has_nonstandard_attr("HttpOnly")
    assert 9 * 3600 - 60 < session.expires - time.time() <= 9 * 3600
    assert browser.request("/admin/").status == 200


def test_a_wrong_password_through_nginx_is_logged_by_django_axes(stack):
    answer = stack.log_in(stack.browser(), "fel-lösenord")
    assert answer.status == 200
    assert "Ange användarnamn och lösenord för ett personalkonto" in answer.text
    log = stack.gunicorn_log.read_text()
    assert 'AXES: New login failure by {username: "drift", ip_address: "127.0.0.1"' in log


def test_nginx_answers_429_to_a_flood_of_login_posts(stack):
    """Last in this module: it uses up the address's allowance of login POSTs."""
    started = time.monotonic()
    statuses = [stack.get("/admin/login/", method="POST", data=b"").status for _ in range(12)]
    elapsed = time.monotonic() - started
    assert statuses[0] != 429
    assert 429 in statuses, statuses
    # 10 a minute with a burst of 5: at most 1 + 5 + one per 6 s passed (the 10 MB POST
    # earlier in this module took one).
    assert 12 - statuses.count(429) <= 6 + elapsed / 6, (statuses, elapsed)
