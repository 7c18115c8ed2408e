"""Public pages cached whole under the data version; never a stale page, never a staff page."""

import gzip
import subprocess
import time
import urllib.request
from decimal import Decimal

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from evaluations import dataversion
from evaluations.models import Evaluation, Municipality, ReferenceMean
from kompass_site import caching

from .conftest import form_data, import_reports, make_evaluation_like

ADMIN = "/admin/evaluations/evaluation/"


def admin_url(evaluation, page: str) -> str:
    return f"{ADMIN}{evaluation.pk}/{page}/"


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


@pytest.fixture
def kalix_draft(published_reports):
    """Luleå 2018 and Lindesberg 2021 published, Kalix 2012 a draft."""
    kalix = published_reports["kalix"]
    kalix.status = Evaluation.Status.DRAFT
    kalix.save()
    return kalix


def test_a_repeated_visit_is_the_stored_page_for_one_query(
    client, published_reports, django_assert_num_queries
):
    first = client.get("/kommun/lulea/")
    with django_assert_num_queries(1):  # the data version
        second = client.get("/kommun/lulea/")
    assert second.status_code == 200 and second.content == first.content
    assert "Luleå" in second.content.decode()


def test_public_pages_say_public_with_validators(client, published_reports):
    response = client.get("/kommun/lulea/")
    assert response["Cache-Control"] == "public, max-age=300, s-maxage=300"
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=lulea",
        "/kommun/lulea/2018/",
        "/jamfor/?k=lulea&k=kalix",
        "/jamfor/kommuner.json?q=lul",
        "/rankning/",
        "/exempel/?q=medborgar",
        "/delfragor/",
        "/delfragor/2016/1.4/",
        "/om/",
        "/om/tillganglighet/",
        "/om/personuppgifter/",
        "/data/",
    ],
)
def test_every_public_page_is_stored_and_answers_304(
    client, published_reports, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200 and first["Cache-Control"].startswith("public")
    with django_assert_num_queries(1):
        assert client.get(path).content == first.content
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == first["Cache-Control"]
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_the_query_string_is_part_of_the_key(client, published_reports):
    lulea = client.get("/jamfor/?k=lulea&k=kalix").content.decode()
    other = client.get("/jamfor/?k=lindesberg&k=kalix").content.decode()
    assert (
        "Lindesberg" in other and "Lindesberg" not in lulea.split("<main")[1].split("Liknande")[0]
    )
    assert (
        client.get("/jamfor/?k=lulea&k=kalix")["ETag"]
        != client.get("/jamfor/?k=lindesberg&k=kalix")["ETag"]
    )


def test_each_compression_is_stored_apart_and_decodes_to_the_same_page(client, published_reports):
    plain = client.get("/kommun/lulea/", HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    for _round in range(2):  # rendered, then from the cache
        br = client.get("/kommun/lulea/", HTTP_ACCEPT_ENCODING="br")
        zipped = client.get("/kommun/lulea/", HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert br["Content-Encoding"] == "br" and zipped["Content-Encoding"] == "gzip"
        assert brotli.decompress(br.content) == plain.content
        assert gzip.decompress(zipped.content) == plain.content
        assert len(br.content) < len(plain.content) / 3


def test_no_stale_page_after_a_publish(client, publisher_client, kalix_draft):
    assert "Kalix" not in client.get("/").content.decode()
    assert client.get("/kommun/kalix/").status_code == 404
    assert client.get("/rankning/?version=2010").content.decode().count("/kommun/kalix/") == 0
    publisher_client.post(admin_url(kalix_draft, "publicera"))
    assert "/kommun/kalix/" in client.get("/").content.decode()
    assert client.get("/kommun/kalix/").status_code == 200
    assert "/kommun/kalix/2012/" in client.get("/rankning/?version=2010").content.decode()


def test_no_stale_page_after_an_unpublish(client, publisher_client, published_reports):
    kalix = published_reports["kalix"]
    assert client.get("/kommun/kalix/").status_code == 200
    etag = client.get("/").get("ETag")
    publisher_client.post(admin_url(kalix, "avpublicera"), {"reason": "Fel i område 3"})
    assert client.get("/kommun/kalix/").status_code == 404
    home = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert home.status_code == 200 and "/kommun/kalix/" not in home.content.decode()


def test_no_stale_page_after_an_edit_of_a_published_evaluation(
    client, publisher_client, published_reports
):
    kalix = published_reports["kalix"]
    assert "Rättat namn" not in client.get("/kommun/kalix/").content.decode()
    data = form_data(publisher_client.get(admin_url(kalix, "change")), "evaluation_form")
    data.update(evaluators="Rättat namn", change_reason="Namnet rättat", _save="Spara")
    data["_reviewed"] = "1"  # the review page of the change is tested in test_admin_undo
    assert publisher_client.post(admin_url(kalix, "change"), data).status_code == 302
    assert "Rättat namn" in client.get("/kommun/kalix/").content.decode()


def test_the_mean_follows_a_publish_in_the_same_version(
    client, publisher_client, published_reports
):
    """The version's mean is a derived figure cached on its own: it changes with the data."""
    mean = "Medel av 1 annan utvärdering, version 2016"
    assert mean not in client.get("/kommun/lulea/").content.decode()
    pitea = make_evaluation_like(
        published_reports["lulea"],
        municipality=Municipality.objects.get(code="2581"),
        year=2019,
        status=Evaluation.Status.DRAFT,
    )
    assert mean not in client.get("/kommun/lulea/").content.decode()
    publisher_client.post(admin_url(pitea, "publicera"))
    assert mean in client.get("/kommun/lulea/").content.decode()


def test_no_stale_page_after_a_new_reference_mean(client, published_reports):
    assert 'id="medel"' not in client.get("/kommun/kalix/").content.decode()
    reference = ReferenceMean.objects.create(
        name="33 kommuner 2010–2012", framework=published_reports["kalix"].framework, n=33
    )
    for result in published_reports["kalix"].area_results.select_related("area"):
        reference.areas.create(area=result.area, points=result.points)
    html = client.get("/kommun/kalix/").content.decode()
    assert 'id="medel"' in html and "33 kommuner 2010–2012" in html


def test_a_visitor_with_a_session_gets_the_page_itself_never_stored_never_public(
    client, publisher_client, published_reports
):
    staff = publisher_client.get("/kommun/lulea/")
    assert staff.status_code == 200
    assert "public" not in staff["Cache-Control"] and "private" in staff["Cache-Control"]
    assert "ETag" not in staff
    assert queries_for(client, "/kommun/lulea/") > 5  # what staff saw was not stored
    assert queries_for(publisher_client, "/kommun/lulea/") > 5  # nor the visitors' page used


def test_previews_and_the_admin_are_never_public(publisher_client, kalix_draft):
    preview = publisher_client.get(f"/forhandsvisning/{kalix_draft.pk}/")
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]
    admin = publisher_client.get(admin_url(kalix_draft, "change"))
    assert "public" not in admin["Cache-Control"] and "ETag" not in admin
    login = Client().get("/admin/login/")
    assert "public" not in login.get("Cache-Control", "")


def test_answers_other_than_200_are_not_stored(client, published_reports):
    for path, status in (("/kommun/ingenstans/", 404), ("/rankning/?version=1999", 400)):
        assert client.get(path).status_code == status
        assert queries_for(client, path) > 1  # looked up again, not stored
        response = client.get(path)
        assert response.status_code == status and "ETag" not in response


def test_a_redirect_is_not_stored(client, published_reports):
    response = client.get("/kommun/Luleå/")
    assert response.status_code == 301 and "ETag" not in response


# --- Views that set a cookie or use a CSRF token are never stored -------------------------------


def test_an_answer_with_a_cookie_or_a_csrf_token_is_not_stored(db):
    with override_settings(ROOT_URLCONF="tests.urls_caching"):
        client = Client()
        for path in ("/kaka/", "/formular/"):
            first = client.get(path)
            assert first.status_code == 200 and "ETag" not in first
            assert "public" not in first.get("Cache-Control", "")
            assert first.cookies
            assert client.get(path).content != first.content  # rendered again
        plain = client.get("/vanlig/")
        assert plain["Cache-Control"].startswith("public")
        assert client.get("/vanlig/").content == plain.content


# --- Derived figures ----------------------------------------------------------------------------

calls: list[dict] = []


@caching.per_data_version
def _counted(*, framework_id: int) -> list[int]:
    calls.append({"framework_id": framework_id})
    return [framework_id, len(calls)]


def test_a_derived_figure_is_computed_once_per_data_version_and_arguments(db):
    calls.clear()
    assert _counted(framework_id=1) == [1, 1]
    assert _counted(framework_id=1) == [1, 1]
    assert _counted(framework_id=2) == [2, 2]
    dataversion.bump()
    assert _counted(framework_id=1) == [1, 3]
    with pytest.raises(TypeError):
        _counted(1)


def test_a_version_number_reused_after_a_rollback_is_another_key(db):
    """A change rolled back leaves the number where it was; the next change raises it to the
    same number at another time, and must not find what was cached under the first."""
    from django.db import transaction

    calls.clear()
    before = dataversion.current()
    try:
        with transaction.atomic():
            dataversion.bump()
            _counted(framework_id=7)
            raise RuntimeError
    except RuntimeError:
        pass
    assert dataversion.current() == before
    time.sleep(0.001)
    dataversion.bump()
    assert dataversion.current().number == before.number + 1
    assert _counted(framework_id=7) == [7, 2]


def test_the_version_wide_sums_are_read_once_per_data_version(
    published_reports, django_assert_num_queries
):
    from comparisons.means import version_area_sums

    framework_id = published_reports["lulea"].framework_id
    sums = version_area_sums(framework_id=framework_id)
    with django_assert_num_queries(1):  # the data version only
        assert version_area_sums(framework_id=framework_id) == sums
    assert sums.by_key[1].count == 1 and sums.by_key[1].total == Decimal("79.0")
    dataversion.bump()
    with django_assert_num_queries(3):  # the version, then the two queries of the sums again
        version_area_sums(framework_id=framework_id)


# --- The cache backend --------------------------------------------------------------------------


@pytest.fixture
def redis_socket(tmp_path):
    """A Redis server of the test's own, on a Unix socket (no port to collide on)."""
    socket = tmp_path / "redis.sock"
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _attempt in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    yield f"unix://{socket}"
    server.terminate()
    server.wait(timeout=10)


def redis_cache(location: str) -> dict:
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "kompass-test",
    }
    return {"default": redis, "figures": redis}


def test_pages_are_shared_through_redis(published_reports, redis_socket, django_assert_num_queries):
    import redis

    with override_settings(CACHES=redis_cache(redis_socket)):
        cache.clear()
        first = Client().get("/kommun/lulea/")
        with django_assert_num_queries(1):
            second = Client().get("/kommun/lulea/")  # another visitor, any process
        assert second.content == first.content
        keys = redis.Redis.from_url(redis_socket).keys("kompass-test:*")
        assert any(b":page:" in key for key in keys) and any(b":derived:" in key for key in keys)


def test_a_cache_that_is_down_costs_speed_not_pages(published_reports, tmp_path):
    with override_settings(CACHES=redis_cache(f"unix://{tmp_path}/no-such.sock")):
        response = Client().get("/kommun/lulea/")
        assert response.status_code == 200 and "Luleå" in response.content.decode()


def test_redis_url_selects_djangos_redis_cache(monkeypatch):
    from .test_settings import run_manage

    monkeypatch.delenv("REDIS_URL", raising=False)  # the shell running the tests may set one

    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['figures']['BACKEND'])"
    )
    redis_run = run_manage("shell", "-c", code, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3")
    assert redis_run.stdout.split()[-2:] == ["django.core.cache.backends.redis.RedisCache"] * 2
    local = run_manage("shell", "-c", code, DEBUG="1")
    assert local.stdout.split()[-2:] == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ]


# --- Over a real socket -------------------------------------------------------------------------


def test_a_browser_revalidates_with_a_304_over_http(live_server):
    import_reports("lulea")
    url = f"{live_server.url}/kommun/lulea/"
    with urllib.request.urlopen(
        urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    ) as r:
        assert r.status == 200 and r.headers["Content-Encoding"] == "br"
        assert "Luleå" in brotli.decompress(r.read()).decode()
        etag = r.headers["ETag"]
    request = urllib.request.Request(url, headers={"If-None-Match": etag, "Accept-Encoding": "br"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request)
    assert answer.value.code == 304 and answer.value.read() == b""


# --- The data version without a query, across processes -----------------------------------------


def _in_another_process(code: str, **env: str) -> None:
    from .test_settings import run_manage

    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    result = run_manage("shell", "-c", code, DEBUG="1", DATABASE_URL=url, **env)
    assert result.returncode == 0, result.stdout + result.stderr


EDIT_SUMMARY = (
    "from evaluations.models import Evaluation; e = Evaluation.objects.get(); "
    "e.summary = 'Ändrad av en annan process.'; e.save()"
)


@pytest.mark.django_db(transaction=True)
def test_a_change_another_process_commits_is_seen_by_the_next_request(
    settings, tmp_path, django_assert_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("another process needs a database it can open")
    settings.DATA_VERSION_STAMP = tmp_path / "dataversion.stamp"
    import_reports("lulea")
    visitor = Client()
    first = visitor.get("/kommun/lulea/")
    with django_assert_num_queries(0):  # the version from memory, the page from the cache
        assert visitor.get("/kommun/lulea/").content == first.content
    _in_another_process(EDIT_SUMMARY, DATA_VERSION_STAMP=str(settings.DATA_VERSION_STAMP))
    assert "Ändrad av en annan process." in visitor.get("/kommun/lulea/").content.decode()
    with django_assert_num_queries(0):
        assert "Ändrad av en annan process." in visitor.get("/kommun/lulea/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_redis_the_stamp_is_shared_through_it(redis_socket, django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("another process needs a database it can open")
    with override_settings(CACHES=redis_cache(redis_socket), DATA_VERSION_STAMP="/nonexistent/x"):
        cache.clear()
        import_reports("lulea")
        visitor = Client()
        visitor.get("/kommun/lulea/")
        with django_assert_num_queries(0):
            visitor.get("/kommun/lulea/")
        _in_another_process(EDIT_SUMMARY, REDIS_URL=redis_socket, CACHE_KEY_PREFIX="kompass-test")
        assert "Ändrad av en annan process." in visitor.get("/kommun/lulea/").content.decode()


def test_inside_a_transaction_the_version_is_read_from_the_database(
    published_reports, django_assert_num_queries
):
    """Tests run inside one, as a request would that changed data: never from memory."""
    dataversion.latest()
    with django_assert_num_queries(1):
        dataversion.latest()


def test_a_full_download_answers_304_without_being_built_again(client, published_reports):
    first = client.get("/data/evaluations.csv")
    assert first.status_code == 200 and first["Cache-Control"].startswith("public")
    again = client.get("/data/evaluations.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_the_api_has_the_page_caches_validators(client, published_reports):
    first = client.get("/api/v1/counties")
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=60"
    again = client.get("/api/v1/counties", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other = client.get("/api/v1/versions", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200  # the address is part of the tag
