"""`make bench`: how fast Kompass answers at national scale, measured, not asserted.

For each size (the three real reports, 300 and 10,000 published evaluations) it builds the
data in a database of its own (synthetic evaluations marked SYNTETISK, see bench/synthetic.py),
serves the site with gunicorn and the production settings on PostgreSQL, and measures every
public page and download against a bare Django view served by the same process through the
same middleware:

- queries and server time (from a Server-Timing header): cold (the data version just raised,
  so nothing is cached), rendered (the page itself not cached, the shared figures cached, as
  every worker finds them after a publish: the after-change thread computes them,
  comparisons/warming.py) and warm (the page cached);
- requests per second as a share of the bare view's, rendered and warm, measured interleaved
  (bare, page, bare, page, ...) so that the machine's other load weighs on both alike;
- 64 concurrent clients for 30 s on the profile, the explorer and a comparison, from a cold
  start: requests, errors, timeouts (10 s), p50 and p99;
- the downloads' time, size and the workers' peak memory, and what follows a change:
  `build_open_data` (the figures and full downloads built ahead), its time and peak memory;
- the profile's weight on the wire in Chromium, first visit and repeat.

It writes the Markdown table to bench/results.md (the README quotes it). Settings from the
environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kompass_bench; its
name must end in _bench, and the database is dropped and made anew), BENCH_SIZES (3,300,10000:
one or more sizes, each measured on its own and written into its own section of the table, so
that a size can be measured again alone), BENCH_KEEP_DATABASE (1: grow the database as it is
instead of making it anew, for a size at least as large as what it holds), BENCH_LOAD_SECONDS
(30), BENCH_CLIENTS (64), BENCH_RATIO_SECONDS (1.5 per turn, 4 turns).
"""

import asyncio
import os
import platform
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import client as http  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kompass_bench"
REPORTS = sorted((ROOT / "evaluations" / "data" / "reports").glob("*.txt"))
HOST = "127.0.0.1"
BARE = "/_bench/bare/"
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "Accept": "text/html"}

PAGES = [
    ("start page", "/"),
    ("profile", "/kommun/lulea/2018/"),
    ("comparison of three", "/jamfor/?k=lulea:2018&k=kalix:2012&k=lindesberg:2021"),
    ("explorer", "/delfragor/"),
    ("explorer, filtered and sorted", "/delfragor/?version=2016&omrade=3&sortera=-procent"),
    ("question page", "/delfragor/2016/1.4/"),
    ("ranking", "/rankning/"),
    ("ranking, area 3, 2016", "/rankning/?version=2016&area=3"),
    ("good examples", "/exempel/?q=medborgar"),
    ("picker suggestions", "/jamfor/kommuner.json?q=lu"),
]
DOWNLOADS = [
    ("explorer CSV, everything", "/delfragor/delfragor.csv"),
    ("explorer CSV, one question", "/delfragor/delfragor.csv?version=2016&kod=1.4"),
    ("explorer XLSX, everything", "/delfragor/delfragor.xlsx"),
    ("explorer XLSX, one question", "/delfragor/delfragor.xlsx?version=2016&kod=1.4"),
]
LOAD_PAGES = ["profile", "explorer", "comparison of three"]
DOWNLOAD_TIMEOUT = 180


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass
class PageFigures:
    name: str
    path: str
    status: int = 0
    queries_cold: int = 0
    cold_ms: float = 0.0
    cold_db_ms: float = 0.0
    rendered_ms: float = 0.0
    rendered_queries: int = 0
    warm_ms: float = 0.0
    warm_queries: int = 0
    rendered_ratio: float = 0.0
    warm_ratio: float = 0.0
    bytes_br: int = 0


@dataclass
class SizeFigures:
    size: int
    scores: int
    measured: str = ""
    load: str = ""
    bare_ms: float = 0.0
    bare_rps: float = 0.0
    pages: list[PageFigures] = field(default_factory=list)
    downloads: list[dict] = field(default_factory=list)
    after_change: dict = field(default_factory=dict)
    crowds: list[dict] = field(default_factory=list)
    weight: dict = field(default_factory=dict)


# --- The database -------------------------------------------------------------------------------


def bench_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    name = urlparse(url).path.lstrip("/")
    if urlparse(url).scheme not in ("postgres", "postgresql") or not name.endswith("_bench"):
        sys.exit(
            f"BENCH_DATABASE_URL must name a PostgreSQL database ending in _bench, not {url!r}: "
            "the benchmark drops it and fills it with synthetic data."
        )
    return url


def prepare_database(url: str, *, keep: bool) -> bool:
    """Make the database anew (or, with `keep`, only if it is missing); True if it is new."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if keep and exists:
            return False
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def production_environment(database_url: str) -> dict[str, str]:
    """The production settings, over plain HTTP on this machine (as the Lighthouse recipe)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="ERROR",
        # This process raises the data version itself and times the builds that follow a
        # change on its own (measure_after_change), never in a thread beside the measurements.
        PREBUILD_AFTER_CHANGE="0",
        PYTHONPATH=str(ROOT),
        # Its own collected files: a staticfiles/ left behind would shadow the tests' finders.
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
    )
    return environment


def setup_django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    # This process bumps the data version between requests from inside its asyncio client.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    import django

    django.setup()


def counts() -> tuple[int, int]:
    from evaluations.models import Evaluation, QuestionScore

    return (
        Evaluation.objects.published().count(),
        QuestionScore.objects.filter(evaluation__in=Evaluation.objects.published()).count(),
    )


def raise_data_version() -> None:
    """As a publish does: every cached page and figure is then out of date."""
    from django.db import connection

    from evaluations import dataversion

    dataversion.bump()
    connection.close()


# --- The server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    candidates = (ROOT / "deploy" / "gunicorn.conf.py", ROOT / "gunicorn.conf.py")
    config = next((path for path in candidates if path.exists()), None)
    command = [gunicorn, "--bind", f"{HOST}:{port}"]
    if config is not None:
        command += ["--config", str(config)]
    else:  # before the production config existed: what the issue measured with
        command += ["--workers", "2"]
    return [*command, "kompass_site.wsgi:application"]


class Server:
    def __init__(self, environment: dict[str, str]):
        self.environment = environment
        self.port = free_port()
        self.process = subprocess.Popen(
            gunicorn_command(self.port),
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "bench" / "gunicorn.log", "a"),  # noqa: SIM115
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}{BARE}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start; see bench/gunicorn.log")

    def wait_until_idle(self, limit: float = 300) -> None:
        """After a crowd, until the requests it left queued are done (the bare view answers
        within a second)."""
        deadline = time.time() + limit
        while time.time() < deadline:
            started = time.time()
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}{BARE}", timeout=5):
                    if time.time() - started < 1:
                        return
            except OSError:
                pass
            time.sleep(1)

    def workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def peak_memory_mb(self) -> float:
        peaks = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=0.0)

    def describe(self) -> str:
        workers = len(self.workers())
        threads = os.environ.get("GUNICORN_THREADS") or "as configured"
        return f"gunicorn, {workers} workers (threads: {threads})"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- Measuring ----------------------------------------------------------------------------------


def timing(answer: http.Answer) -> tuple[float, float, int]:
    header = answer.headers.get("server-timing", "")
    app = re.search(r"app;dur=([\d.]+)", header)
    db = re.search(r'db;dur=([\d.]+);desc="(\d+)"', header)
    return (
        float(app.group(1)) if app else answer.seconds * 1000,
        float(db.group(1)) if db else 0.0,
        int(db.group(2)) if db else 0,
    )


def with_marker(path: str, marker: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}_bench={marker}"


async def single(port: int, path: str) -> http.Answer:
    connection = http.Connection(HOST, port)
    try:
        return await connection.get(path, BROWSER_HEADERS)
    finally:
        await connection.close()


async def throughput(port: int, paths: list[str], seconds: float) -> float:
    result = await http.load(HOST, port, paths, clients=8, seconds=seconds, headers=BROWSER_HEADERS)
    return result.requests / result.seconds


async def measure_page(port: int, name: str, path: str, ratio_seconds: float) -> PageFigures:
    figures = PageFigures(name=name, path=path)
    cold, rendered, warm = [], [], []
    for _ in range(5):
        raise_data_version()
        answer = await single(port, path)
        cold.append(timing(answer))
        figures.status = answer.status
    marker = secrets.token_hex(4)
    await single(port, with_marker(path, marker + "w"))  # the version-wide figures, once
    for n in range(5):
        rendered.append(timing(await single(port, with_marker(path, f"{marker}{n}"))))
    for _ in range(20):
        answer = await single(port, path)
        warm.append(timing(answer))
    figures.bytes_br = len(answer.body)
    figures.cold_ms = statistics.median(t[0] for t in cold)
    figures.cold_db_ms = statistics.median(t[1] for t in cold)
    figures.queries_cold = max(t[2] for t in cold)
    figures.rendered_ms = statistics.median(t[0] for t in rendered)
    figures.rendered_queries = max(t[2] for t in rendered)
    figures.warm_ms = statistics.median(t[0] for t in warm)
    figures.warm_queries = max(t[2] for t in warm)

    # Interleaved: bare, rendered, warm, bare, rendered, warm, ...
    totals = {"bare": 0.0, "rendered": 0.0, "warm": 0.0}
    counter = iter(range(10**9))
    for _ in range(4):
        totals["bare"] += await throughput(port, [BARE], ratio_seconds)
        unique = [with_marker(path, f"{marker}r{next(counter)}") for _ in range(2000)]
        totals["rendered"] += await throughput(port, unique, ratio_seconds)
        totals["warm"] += await throughput(port, [path], ratio_seconds)
    figures.rendered_ratio = totals["rendered"] / totals["bare"]
    figures.warm_ratio = totals["warm"] / totals["bare"]
    return figures


def measure_download(server: Server, name: str, path: str, *, cold: bool = True) -> dict:
    if cold:
        raise_data_version()
    url = f"http://{HOST}:{server.port}{path}"
    started = time.perf_counter()
    size, status = 0, 0
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as answer:
            status = answer.status
            while chunk := answer.read(1 << 16):
                size += len(chunk)
    except urllib.error.HTTPError as error:
        status = error.code
    except (TimeoutError, OSError) as error:
        status = f"{type(error).__name__}"  # type: ignore[assignment]
    seconds = time.perf_counter() - started
    return {
        "name": name,
        "path": path,
        "status": status,
        "seconds": seconds,
        "mb": size / 1e6,
        "peak_mb": server.peak_memory_mb(),
    }


def measure_after_change(server: Server) -> dict:
    """What follows a publish: `build_open_data` does what the after-change thread does (the
    shared figures, then the full CSV, XLSX and /data/), timed with its peak memory; then the
    full XLSX is served from its file."""
    raise_data_version()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "build_open_data", "--no-previews"]
        + ["--site-url", f"http://{HOST}:{server.port}"],
        cwd=ROOT,
        env=server.environment,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    served = measure_download(
        server, "explorer XLSX, everything", "/delfragor/delfragor.xlsx", cold=False
    )
    return {
        "seconds": seconds,
        # The largest child this process waited for: this command, at national scale.
        "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "built": [line for line in done.stdout.splitlines() if "byggd nu" in line],
        "xlsx": served,
    }


async def crowd(port: int, name: str, path: str, clients: int, seconds: float) -> dict:
    raise_data_version()
    result = await http.load(
        HOST, port, [path], clients=clients, seconds=seconds, headers=BROWSER_HEADERS
    )
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    return {
        "name": name,
        "requests": result.requests,
        "rps": result.requests / result.seconds,
        "errors": result.errors,
        "timeouts": result.timeouts,
        "p50_ms": None if p50 is None else p50 * 1000,
        "p99_ms": None if p99 is None else p99 * 1000,
    }


def page_weight(port: int, path: str) -> dict:
    """Bytes on the wire in Chromium for a first visit (charts drawn) and a reload."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        received: list[float] = []
        session.on(
            "Network.loadingFinished", lambda event: received.append(event["encodedDataLength"])
        )
        page.goto(f"http://{HOST}:{port}{path}", wait_until="load")
        page.wait_for_selector(".chart-ready", timeout=30000)
        page.wait_for_load_state("networkidle")
        first = sum(received)
        received.clear()
        page.goto(f"http://{HOST}:{port}{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        repeat = sum(received)
        received.clear()
        page.reload(wait_until="load")
        page.wait_for_load_state("networkidle")
        reload = sum(received)
        browser.close()
    return {"first_kb": first / 1024, "repeat_kb": repeat / 1024, "reload_kb": reload / 1024}


# --- Reporting ----------------------------------------------------------------------------------


def number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ")


def markdown_head(*, server: str, label: str) -> str:
    cpu = platform.processor() or platform.machine()
    return "\n".join(
        [
            f"# Benchmark: {label}",
            "",
            f"Measured by `make bench`: {server}, PostgreSQL, production settings; "
            f"{os.cpu_count()} cores ({cpu}), shared with other work (the load average, from "
            "`uptime`, is given for each size), so times are rough: the ratios, measured "
            "interleaved in one run, and the growth are what count. Synthetic evaluations "
            "(marked SYNTETISK) fill a database of the benchmark's own.",
            "",
            "Server ms from the Server-Timing header (inside Django, all middleware). *cold*: "
            "the data version just raised, nothing cached; *rendered*: the page not cached but "
            "the shared figures are (in files every worker reads; after a publish the "
            "after-change thread computes them), what the first visitor of a page after a "
            "publish gets; *warm*: the page cached. req/s as a share of the bare view's, "
            "measured interleaved with it.",
            "",
        ]
    )


def markdown_size(figures: SizeFigures) -> str:
    lines = [
        f"## {number(figures.size)} published evaluations ({number(figures.scores)} scores)",
        "",
        f"Measured {figures.measured}, load average (1, 5, 15 min) {figures.load}. Bare view: "
        f"{figures.bare_ms:.2f} ms server time, {number(figures.bare_rps)} req/s with 8 clients.",
        "",
        "| page | status | most queries seen: cold / rendered / warm (each worker's first "
        "visit misses) | ms cold (of it DB) | ms rendered "
        "| ms warm | req/s rendered | req/s warm | KB (br) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page in figures.pages:
        lines.append(
            f"| {page.name} `{page.path}` | {page.status} | {page.queries_cold} / "
            f"{page.rendered_queries} / {page.warm_queries} | {page.cold_ms:.1f} "
            f"({page.cold_db_ms:.1f}) | {page.rendered_ms:.1f} | {page.warm_ms:.2f} | "
            f"{page.rendered_ratio:.1%} | {page.warm_ratio:.1%} | {page.bytes_br / 1024:.1f} |"
        )
    if figures.downloads:
        lines += ["", "| download | status | seconds | MB | worker peak memory MB |"]
        lines += ["|---|---|---|---|---|"]
        for item in figures.downloads:
            lines.append(
                f"| {item['name']} `{item['path']}` | {item['status']} | "
                f"{item['seconds']:.2f} | {item['mb']:.1f} | {item['peak_mb']:.0f} |"
            )
    if after := figures.after_change:
        xlsx = after["xlsx"]
        lines += [
            "",
            f"After a change (`build_open_data`, the after-change thread's work): the shared "
            f"figures and {len(after['built'])} full downloads built in {after['seconds']:.1f} s, "
            f"peak memory {after['peak_mb']:.0f} MB; the full XLSX then answered "
            f"{xlsx['status']} in {xlsx['seconds']:.2f} s ({xlsx['mb']:.1f} MB).",
        ]
    if figures.crowds:
        lines += [
            "",
            "| 64 clients, 30 s, from cold | requests | req/s | errors | timeouts | p50 ms "
            "| p99 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        for item in figures.crowds:
            lines.append(
                f"| {item['name']} | {number(item['requests'])} | {number(item['rps'])} | "
                f"{item['errors']} | {item['timeouts']} | {number(item['p50_ms'])} | "
                f"{number(item['p99_ms'])} |"
            )
    if figures.weight:
        weight = figures.weight
        lines += [
            "",
            f"Profile in Chromium, on the wire: first visit {weight['first_kb']:.0f} KB, "
            f"repeat visit {weight['repeat_kb']:.1f} KB, reload {weight['reload_kb']:.1f} KB.",
        ]
    lines.append("")
    return "\n".join(lines)


SECTION = re.compile(r"^## ([\d ]+) published evaluations", re.MULTILINE)


def merged(previous: str, sections: dict[int, str], head: str) -> str:
    """The table with this run's sizes replaced or added, every other size's section kept as
    the earlier run wrote it (each says when it was measured)."""
    kept: dict[int, str] = {}
    starts = list(SECTION.finditer(previous))
    for match, following in zip(starts, [*starts[1:], None], strict=False):
        end = following.start() if following else len(previous)
        kept[int(match.group(1).replace(" ", ""))] = previous[match.start() : end].rstrip() + "\n"
    kept.update(sections)
    return head + "\n".join(kept[size] for size in sorted(kept))


def main() -> None:
    started = time.perf_counter()
    database_url = bench_database()
    sizes = sorted(int(s) for s in os.environ.get("BENCH_SIZES", "3,300,10000").split(","))
    load_seconds = env_int("BENCH_LOAD_SECONDS", 30)
    clients = env_int("BENCH_CLIENTS", 64)
    ratio_seconds = float(os.environ.get("BENCH_RATIO_SECONDS", "1.5"))
    label = os.environ.get("BENCH_LABEL", "Kompass")
    output = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results.md"))
    keep = os.environ.get("BENCH_KEEP_DATABASE") == "1"

    environment = production_environment(database_url)
    made = prepare_database(database_url, keep=keep)
    name = urlparse(database_url).path.lstrip("/")
    print(f"benchmark database {name}: {'made anew' if made else 'kept'}", flush=True)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input", "--clear"]):
        subprocess.run(
            [*manage, *command], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL
        )
    if made:
        subprocess.run(
            [*manage, "import_report", "--publish", *map(str, REPORTS)],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    setup_django(environment)
    from bench import synthetic

    sections: dict[int, str] = {}
    description = ""
    for size in sizes:
        if counts()[0] > size:
            sys.exit(f"{name} holds more than {size} evaluations: run without BENCH_KEEP_DATABASE")
        if size > 3:
            print(f"growing to {size} evaluations ...", flush=True)
            grown = time.perf_counter()
            synthetic.grow_to(size)
            print(f"  added in {time.perf_counter() - grown:.0f} s", flush=True)
        subprocess.run(["psql", database_url, "-qc", "VACUUM ANALYZE"], check=True)
        published, scores = counts()
        figures = SizeFigures(size=published, scores=scores)
        figures.measured = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        load_before = load_average()
        server = Server(environment)
        description = server.describe()
        try:
            measure_size(server, figures, ratio_seconds, load_seconds, clients)
        finally:
            server.stop()
        figures.load = f"{load_before} at the start, {load_average()} at the end"
        sections[published] = markdown_size(figures)
        previous = output.read_text(encoding="utf-8") if output.exists() else ""
        output.write_text(
            merged(previous, sections, markdown_head(server=description, label=label)),
            encoding="utf-8",
        )
    print(f"\nwritten to {output} in {(time.perf_counter() - started) / 60:.1f} min")


def measure_size(
    server: Server, figures: SizeFigures, ratio_seconds: float, load_seconds: int, clients: int
) -> None:
    published = figures.size
    bare = asyncio.run(single(server.port, BARE))
    figures.bare_ms = (
        statistics.median(timing(asyncio.run(single(server.port, BARE)))[0] for _ in range(20))
        if bare.status == 200
        else 0
    )
    figures.bare_rps = asyncio.run(throughput(server.port, [BARE], 2))
    for name, path in PAGES:
        page = asyncio.run(measure_page(server.port, name, path, ratio_seconds))
        figures.pages.append(page)
        print(
            f"  {published:>6} {name:32} {page.status} cold {page.cold_ms:8.1f} ms "
            f"({page.queries_cold} q) rendered {page.rendered_ms:7.1f} ms warm "
            f"{page.warm_ms:6.2f} ms  {page.rendered_ratio:6.1%} {page.warm_ratio:6.1%}",
            flush=True,
        )
    for name, path in DOWNLOADS:
        item = measure_download(server, name, path)
        figures.downloads.append(item)
        print(
            f"  {published:>6} {name:32} {item['status']} {item['seconds']:.2f} s "
            f"{item['mb']:.1f} MB peak {item['peak_mb']:.0f} MB",
            flush=True,
        )
    figures.after_change = measure_after_change(server)
    print(f"  {published:>6} after a change {figures.after_change}", flush=True)
    try:
        figures.weight = page_weight(server.port, "/kommun/lulea/2018/")
    except Exception as error:  # a page too slow to load is a finding, not a crash
        print(f"  page weight not measured: {error}", flush=True)
    print(f"  {published:>6} weight {figures.weight}", flush=True)
    for name, path in PAGES:
        if name in LOAD_PAGES and load_seconds > 0:
            item = asyncio.run(crowd(server.port, name, path, clients, load_seconds))
            figures.crowds.append(item)
            print(f"  {published:>6} crowd {name:26} {item}", flush=True)
            server.wait_until_idle()


if __name__ == "__main__":
    main()
