"""Gunicorn's settings for Kompass in production: ``gunicorn -c deploy/gunicorn.conf.py``.

Sized from the CPUs this process may use; the GUNICORN_* variables override (see
deploy/kompass.env.example). nginx sits in front (deploy/nginx-kompass.conf): it holds slow
clients and caps bodies, so gunicorn listens on the loopback only.
"""

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompass_site.env import env, env_choice, env_int  # noqa: E402

wsgi_app = "kompass_site.wsgi:application"
chdir = str(ROOT)
bind = [env("GUNICORN_BIND", "127.0.0.1:8000")]

# Threads wait for the database while another runs Python; pages are mostly CPU (charts,
# tables), so processes carry the load: the classic 2 × CPUs + 1, two threads each.
cpus = len(os.sched_getaffinity(0))
worker_class = "gthread"
workers = env_int("GUNICORN_WORKERS", 2 * cpus + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)

# A request still running after `timeout` seconds has its worker killed and replaced.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about 50,000 requests, so a slow leak never grows for long. Not
# sooner: each worker keeps its own cache of pages (without REDIS_URL), which a new worker
# fills again; at a thousand, a crowd would replace every worker every few seconds.
max_requests = 50_000
max_requests_jitter = 5_000

# The request line and headers; nginx refuses larger ones first, these hold without it.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Gunicorn 27 opens a control socket in $HOME by default: one per machine, which a second
# server (a benchmark, a test) would take over. Kompass does not use it.
control_socket_disable = True

# One line per request at INFO (gunicorn's access log, the only one: Django's own request
# logger reports errors only, see settings.LOGGING); LOG_LEVEL=WARNING silences them.
loglevel = env_choice("LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
errorlog = "-"
accesslog = "-" if logging.getLevelName(loglevel) <= logging.INFO else None
# The client's address as nginx saw it, the request, status, bytes, milliseconds, user agent.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
