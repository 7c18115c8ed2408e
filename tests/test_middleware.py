import pytest


@pytest.mark.django_db
def test_a_body_over_two_megabytes_is_refused_with_413_before_the_view(client):
    response = client.post(
        "/admin/login/",
        data=b"x" * (2 * 1024 * 1024 + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "större än 2 MB och togs inte emot" in response.content.decode()


@pytest.mark.django_db
def test_a_body_of_two_megabytes_is_accepted(client):
    response = client.post(
        "/admin/login/",
        data=b"x" * (2 * 1024 * 1024),
        content_type="application/octet-stream",
    )
    assert response.status_code == 200  # the login form again


def test_a_malformed_content_length_is_a_bad_request(client):
    response = client.generic("POST", "/admin/login/", b"", CONTENT_LENGTH="many")
    assert response.status_code == 400


@pytest.mark.django_db
def test_every_page_refuses_browser_features_it_does_not_use(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()"} <= set(policy.split(", "))
