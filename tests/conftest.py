import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluations.models import AreaListItem, AreaResult, Evaluation, Municipality, QuestionScore

DATA_DIR = Path(__file__).resolve().parents[1] / "evaluations" / "data"
REPORTS_DIR = DATA_DIR / "reports"
REPORT_FILES = {
    "kalix": REPORTS_DIR / "kalix-2012.txt",
    "lulea": REPORTS_DIR / "lulea-2018.txt",
    "lindesberg": REPORTS_DIR / "lindesberg-2021.txt",
}


def pytest_configure(config):
    """Passwords hashed with MD5: hashing is not what the tests are about, and PBKDF2 costs
    0.4 CPU-s a password. Servers that tests start (tests/servers.py) keep production's."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """`make test` runs two workers (pytest-xdist, --dist loadgroup), which tell tests apart by
    node id: each test gets one of its own, and the tests that use the production databases
    share a worker (group "production"), so that one PostgreSQL cluster serves them all.
    Node ids are set here, not by xdist's own xdist_group marker, which pytest 9 ignores."""
    from _pytest.nodeid import coerce_node_id

    for item in items:
        nodeid = item.nodeid
        # schemathesis (on pytest 9) leaves the operation out: eleven tests under one id.
        module, _sep, name = nodeid.rpartition("::")
        if name != item.name and item.name.startswith(f"{name}["):
            nodeid = f"{module}::{item.name}"
        if "production_data" in getattr(item, "fixturenames", ()):
            nodeid += "@production"
        if nodeid != item.nodeid:
            item._id = coerce_node_id(nodeid)


def once_per_run(tmp_path_factory, name: str, build) -> Path:
    """A directory that ``build(path)`` fills once for the whole run and every test reads:
    with pytest-xdist, the first worker to get here builds it and the others wait for it."""
    import fcntl

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers
    target = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{name}.done"
        if not done.exists():
            build(target)
            done.touch()
    return target


def import_reports(*names: str, publish: bool = True) -> None:
    args = [str(REPORT_FILES[name]) for name in names]
    errors = StringIO()
    try:
        call_command(
            "import_report",
            *args,
            *(["--publish"] if publish else []),
            stdout=StringIO(),
            stderr=errors,
        )
    except CommandError as error:
        raise AssertionError(f"{error}\n{errors.getvalue()}") from error


@pytest.fixture(autouse=True)
def _downloads_apart(settings, tmp_path_factory):
    """Full downloads are built into a folder of the test's own, never the repository's."""
    settings.DOWNLOADS_ROOT = tmp_path_factory.mktemp("downloads")


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    """An English request leaves English active in the test's thread (LocaleMiddleware
    activates, and nothing deactivates, the request's language); code run outside a request in
    a later test must see Swedish, as a management command does."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty caches (pages; derived figures)."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["figures"].clear()


@pytest.fixture
def published_reports(db):
    """The three real reports, imported and published."""
    import_reports("kalix", "lulea", "lindesberg")
    return {e.municipality.slug: e for e in Evaluation.objects.with_related()}


def make_evaluation_like(
    source: Evaluation,
    *,
    municipality: Municipality,
    year: int,
    status: str = Evaluation.Status.PUBLISHED,
) -> Evaluation:
    """A copy of a real imported evaluation's figures under another municipality or year.

    Used where a test needs more evaluations than the three real reports (query counts, means);
    the figures stay those printed in a real report.
    """
    copy = Evaluation.objects.create(
        municipality=municipality,
        framework=source.framework,
        year=year,
        month=source.month,
        ordinal=1,
        status=status,
        source_file=source.source_file,
    )
    for result in source.area_results.all():
        new_result = AreaResult.objects.create(
            evaluation=copy,
            area=result.area,
            points=result.points,
            header_points=result.header_points,
            table_points=result.table_points,
            text=result.text,
        )
        AreaListItem.objects.bulk_create(
            AreaListItem(area_result=new_result, kind=p.kind, position=p.position, text=p.text)
            for p in result.list_items.all()
        )
    QuestionScore.objects.bulk_create(
        QuestionScore(evaluation=copy, question=s.question, points=s.points)
        for s in source.scores.all()
    )
    return copy


def make_areas_like(
    source: Evaluation,
    *,
    framework,
    municipality: Municipality,
    year: int,
    status: str = Evaluation.Status.PUBLISHED,
) -> Evaluation:
    """A summary-only evaluation in `framework` with the area scores that `source` (a real
    report) printed, area by area number: where a test needs two evaluations of one version
    that differ, and only one real report of that version exists."""
    copy = Evaluation.objects.create(
        municipality=municipality, framework=framework, year=year, ordinal=1, status=status
    )
    areas = {area.number: area for area in framework.areas.all()}
    AreaResult.objects.bulk_create(
        AreaResult(evaluation=copy, area=areas[result.area.number], points=result.points)
        for result in source.area_results.select_related("area")
    )
    return copy


# --- Headless Chromium (Debian's package) through Playwright -----------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS_DIR = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Browser tests need Debian's chromium (make test installs it)."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class ConsoleErrors(list):
    def assert_none(self):
        assert list(self) == [], f"console errors: {list(self)}"


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (those with live_server) end with a flush that empties every table,
    including the reference data and groups that data migrations load; load them again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if "live_server" not in request.fixturenames and not transactional:
        return
    request.getfixturevalue("transactional_db")
    if not Municipality.objects.exists():
        from django.apps import apps
        from django.db import connection
        from django.db.migrations.loader import MigrationLoader
        from django.db.migrations.operations import RunPython

        loader = MigrationLoader(None, ignore_no_migrations=True)
        leaf = loader.graph.leaf_nodes("evaluations")[0]
        # A real schema editor: a migration may ask it which database it is on (0012).
        with connection.schema_editor() as schema_editor:
            for app_label, name in loader.graph.forwards_plan(leaf):
                if app_label != "evaluations":
                    continue
                for operation in loader.graph.nodes[(app_label, name)].operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page; `page.console_errors` collects console errors and page errors."""
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    browser_page = context.new_page()
    errors = ConsoleErrors()
    browser_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.console_errors = errors
    yield browser_page
    context.close()


def axe_violations(browser_page) -> list[dict]:
    """Run axe-core (from npm, served from our static files) on the page; return violations."""
    # Loaded as a same-origin script so that the page's own CSP (script-src 'self') allows it.
    browser_page.add_script_tag(url="/static/vendor/axe.min.js")
    result = browser_page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def part_violations(browser_page, selector: str) -> list:
    """axe-core (WCAG 2.1 A and AA) on our part of an admin page only (`selector`): the rest
    is Django's admin."""
    browser_page.add_script_tag(url="/static/vendor/axe.min.js")
    result = browser_page.evaluate(
        f"async () => await axe.run('{selector}', {{runOnly: ['wcag2a', 'wcag2aa', "
        "'wcag21a', 'wcag21aa']})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def save_screenshot(browser_page, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    browser_page.screenshot(path=str(path), full_page=True)
    return path


# --- Staff in the groups that the migrations create (Redaktör, Publicerare) ---------------------

EDITOR = "Redaktör"
PUBLISHER = "Publicerare"


def make_user(username: str, *, groups: tuple[str, ...] = (), is_staff: bool = True):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username, password="ett-lösenord-bara-för-test", is_staff=is_staff
    )
    found = list(Group.objects.filter(name__in=groups))
    assert len(found) == len(groups), f"groups missing: {groups}"
    user.groups.set(found)
    return user


def make_app_device(user):
    """An authenticator app set up (confirmed) for `user`; `app_code(device)` is its code now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)


def app_code(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user) -> None:
    """`client.force_login(user)`; one who must use two-factor login has passed it too (an
    app set up, the session verified by it)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from kompass_site import twofactor

    client.force_login(user)
    if twofactor.required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = make_app_device(user).persistent_id
        session.save()


@pytest.fixture
def staff_client_factory(db):
    """`staff_client_factory("anna", groups=(EDITOR,))`: a test client logged in as a new user
    (see log_in)."""
    from django.test import Client

    def make(username: str, *, groups: tuple[str, ...] = (), is_staff: bool = True):
        client = Client()
        log_in(client, make_user(username, groups=groups, is_staff=is_staff))
        return client

    return make


@pytest.fixture
def editor_client(staff_client_factory):
    return staff_client_factory("redaktor", groups=(EDITOR,))


@pytest.fixture
def publisher_client(staff_client_factory):
    return staff_client_factory("publicerare", groups=(PUBLISHER,))


def form_data(response, form_id: str) -> dict[str, str | list[str]]:
    """The fields of the page's form `form_id` as a browser submits them when nothing is changed
    (text inputs, hidden inputs, checked boxes, selected options, textareas)."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Fields(HTMLParser):
        inside = False
        textarea = select = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            if not self.inside or "name" not in attrs and tag != "option":
                return
            if tag == "input":
                kind = attrs.get("type", "text")
                if kind in ("submit", "button", "file", "image", "reset"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in attrs:
                    return
                # A checked box without a value is sent as "on".
                default = "on" if kind in ("checkbox", "radio") else ""
                data.setdefault(attrs["name"], []).append(attrs.get("value") or default)
            elif tag == "textarea":
                self.textarea = attrs["name"]
                data[self.textarea] = [""]
            elif tag == "select":
                self.select = attrs["name"]
                data.setdefault(self.select, [])
            elif tag == "option" and self.select and "selected" in attrs:
                data[self.select].append(attrs.get("value") or "")

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea":
                # A browser drops the newline right after <textarea>.
                name = self.textarea
                data[name] = [data[name][0].removeprefix("\n")]
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, text):
            if self.textarea:
                data[self.textarea][0] += text

    Fields().feed(response.content.decode())
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


# --- Comparisons (issue 6) ----------------------------------------------------------------------


@pytest.fixture
def six_evaluated(published_reports):
    """Six municipalities with a published evaluation, two in each framework version.

    Besides the three real reports, each report's figures again under another municipality:
    Luleå 2018's as Piteå 2019 (version 2016), Kalix 2012's as Boden 2013 (version 2010),
    Lindesberg 2021's as Kiruna 2021 (version 2020). Returns the slugs, Luleå first."""
    for source, code, year in (("lulea", "2581", 2019), ("kalix", "2582", 2013)):
        make_evaluation_like(
            published_reports[source], municipality=Municipality.objects.get(code=code), year=year
        )
    make_evaluation_like(
        published_reports["lindesberg"],
        municipality=Municipality.objects.get(code="2584"),
        year=2021,
    )
    return ["lulea", "pitea", "kalix", "boden", "lindesberg", "kiruna"]


# --- Open data (issue 14) -----------------------------------------------------------------------

LULEA_STATES_2015 = (
    "Luleå 2018 jämfört med utvärderingen 2015 och ett genomsnitt av alla utvärderingar sedan 2010"  # noqa: E501
)


@pytest.fixture(autouse=True)
def _open_data_in_a_temporary_directory(settings, tmp_path_factory):
    """Downloads and preview images built by tests go to the session's temporary directory,
    never into the work tree's var/."""
    settings.OPEN_DATA_DIR = tmp_path_factory.getbasetemp() / "open-data"


def make_stated_previous(later: Evaluation, *, year: int, source: str) -> Evaluation:
    """A previous result known only from what `later`'s report says of it (origin stated)."""
    return Evaluation.objects.create(
        municipality=later.municipality,
        framework=later.framework,
        year=year,
        status=Evaluation.Status.PUBLISHED,
        origin=Evaluation.Origin.STATED,
        stated_in=later,
        stated_source=source,
    )


@pytest.fixture
def open_data_reports(published_reports):
    """The three real reports published, Lindesberg's made a draft again, and Luleå's stated
    previous evaluation (2015, in its report's own words): what must and must not be public."""
    lindesberg = published_reports["lindesberg"]
    lindesberg.status = Evaluation.Status.DRAFT
    lindesberg.save()
    stated = make_stated_previous(published_reports["lulea"], year=2015, source=LULEA_STATES_2015)
    return {**published_reports, "stated": stated}


# --- Production servers (tests/servers.py) ----------------------------------------------------


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """STATIC_ROOT as `make build-prod` fills it (hashed names, brotli and gzip copies),
    collected once a run: compressing the plotly bundle takes most of a minute. Read only;
    a test that changes it works on a copy."""
    from tests.servers import manage, production_env

    def collect(root: Path) -> None:
        manage(
            "collectstatic", "--no-input", "--verbosity", "0",
            env=production_env(STATIC_ROOT=str(root)),
        )  # fmt: skip

    return once_per_run(tmp_path_factory, "staticfiles", collect)


@pytest.fixture(scope="session")
def production_data():
    """Databases as production has them, made once a session; see servers.ProductionData."""
    from tests.servers import ProductionData

    data = ProductionData()
    yield data
    data.close()
