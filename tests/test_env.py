import pytest
from django.core.exceptions import ImproperlyConfigured

from kompass_site.env import env_bool, env_choice, env_int, env_list


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("OFF", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("KOMPASS_FLAG", value)
    assert env_bool("KOMPASS_FLAG", not expected) is expected


@pytest.mark.parametrize("value", ["ture", "enabled", "2", "y e s"])
def test_env_bool_refuses_a_value_it_does_not_know_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    with pytest.raises(ImproperlyConfigured, match=f"SESSION_COOKIE_SECURE='{value}'"):
        env_bool("SESSION_COOKIE_SECURE", True)


def test_an_empty_or_missing_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("KOMPASS_FLAG", "")
    monkeypatch.delenv("KOMPASS_OTHER", raising=False)
    assert env_bool("KOMPASS_FLAG", True) is True
    assert env_int("KOMPASS_OTHER", 7) == 7
    assert env_list("KOMPASS_OTHER", "a, b,") == ["a", "b"]


def test_env_int_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "four")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("GUNICORN_WORKERS", 3)
    monkeypatch.setenv("GUNICORN_WORKERS", "0")
    with pytest.raises(ImproperlyConfigured, match="below its minimum 1"):
        env_int("GUNICORN_WORKERS", 3, minimum=1)
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    assert env_int("GUNICORN_WORKERS", 3, minimum=1) == 4


def test_env_choice_takes_any_case_and_refuses_the_rest(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "info")
    assert env_choice("LOG_LEVEL", "WARNING", ("INFO", "WARNING")) == "INFO"
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    with pytest.raises(ImproperlyConfigured, match="not one of INFO, WARNING"):
        env_choice("LOG_LEVEL", "WARNING", ("INFO", "WARNING"))
