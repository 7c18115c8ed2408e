"""The benchmark behind `make bench` (see bench/run.py); never imported by the site itself."""
