"""Reading settings from the environment: each helper refuses a value it does not understand.

A typo must stop the server with the variable's name, not quietly mean the default
(``SESSION_COOKIE_SECURE=ture`` used to mean off). An empty value counts as unset, as an
``EnvironmentFile`` line ``NAME=`` does. Used by ``settings.py`` and ``deploy/gunicorn.conf.py``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name).lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = env(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below its minimum {minimum}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, as spelled there, whatever the case it was given in."""
    value = env(name, default)
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


RATE_PERIODS = frozenset({"s", "sec", "m", "min", "h", "hour", "d", "day"})


def env_rate(name: str, default: str) -> str:
    """A request rate such as ``120/min``: a count per s, min, hour or day."""
    value = env(name, default)
    count, _slash, period = value.partition("/")
    if not count.isdigit() or period not in RATE_PERIODS:
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate such as 120/min.")
    return value
