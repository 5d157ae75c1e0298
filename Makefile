# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
FIXTURES := fixtures/member_states.json fixtures/agenda.json fixtures/seed_document.json

.PHONY: run test lint serve bench load load2 wrk backup restore setup-db accuracy chromium libreoffice nginx screenshots

$(PY):
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "Install python3-venv (Debian: apt-get install python3-venv) and try again."; exit 1; fi; \
	  $(PYTHON) -m venv $(VENV); }

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Migrate, load the seed data (natural keys: loading again changes nothing) and create the
# demo accounts named in the README. Safe to run again.
setup-db: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata $(FIXTURES)
	$(PY) manage.py demo_accounts

# uvicorn serves the app under ASGI, so that open pages get their live events; it restarts
# itself when the code changes, as Django's runserver would.
run: setup-db
	$(PY) -m uvicorn config.asgi:application --reload --host 127.0.0.1 --port $(PORT) \
	  --lifespan off --no-access-log

# Debian's Chromium drives the browser tests; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Chromium: apt-get install chromium"; exit 1; fi; }

# LibreOffice converts the compilation's Word file in its test (skipped without it); Debian's
# Writer without a GUI is enough. Installed when missing and we may.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui; \
	  else echo "The Word export's LibreOffice test is skipped: apt-get install libreoffice-writer-nogui"; fi; }

# Debian's nginx runs in front of the app in its tests (deploy/nginx/workbench.conf; skipped
# without it), each test starting its own on a free port. Installed when missing and we may.
nginx:
	@test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx; \
	  else echo "The nginx tests are skipped: apt-get install nginx"; fi; }

# mypy checks the modules named here; the others join as they are typed (pyproject.toml).
lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy resolutions/un resolutions/services resolutions/permissions.py resolutions/htmx.py

# The tests run in TEST_WORKERS processes (pytest-xdist; one per core, at most 4), each with
# a test database, a live server and a browser of its own; TEST_WORKERS=0 runs them in this
# process. --dist load hands out the tests in their order, so each process runs the tests that
# empty its database (the browser journeys) after the others, as pytest-django intends.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 4 ] && n=4; echo $$n)

test: $(VENV)/.dev chromium libreoffice nginx lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load

# The production configuration: DEBUG off; DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS from
# the environment (it refuses to start without the last two, and while a demo account of
# `make run` still has its published password). gunicorn, with uvicorn workers (ASGI: an
# open event stream is a coroutine, not a thread), listens on
# 127.0.0.1:$(PORT) behind a TLS proxy, whose X-Forwarded-Proto it trusts from
# FORWARDED_ALLOW_IPS (default: this machine). The proxy must add the client's address to
# X-Forwarded-For; the app reads the address TRUSTED_PROXY_COUNT (default 1: that proxy)
# entries from the right, for the login lockout. WEB_CONCURRENCY sets the number of workers.
# gunicorn's own lines (and its access log, if GUNICORN_CMD_ARGS turns one on) show paths
# without their query strings or the secret of a private calendar address.
serve: export DJANGO_ENV = production
serve: export TRUSTED_PROXY_COUNT ?= 1
serve: $(VENV)/.runtime
	$(PY) manage.py check --deploy --database default --fail-level WARNING
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	exec $(PY) -m gunicorn config.asgi:application --worker-class config.gunicorn_logging.EventWorker \
	  --bind 127.0.0.1:$(PORT) --graceful-timeout 10 \
	  --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" --error-logfile - \
	  --logger-class config.gunicorn_logging.RedactingLogger

# A consistent dump of everything (natural keys) to backups/, or to FILE=...
backup: $(VENV)/.runtime
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

# Load a backup into an empty database: make restore FILE=backups/workbench-....json.gz
restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/workbench-....json.gz"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore "$(FILE)"

# Page times, SQL query counts and sizes at 0, 1,000 and 100,000 notes, against a static file
# of the same size; in a database of its own (a temporary SQLite file, or <name>_bench beside
# DATABASE_URL's). Prints a table and writes it as JSON to bench/results/local/, which git
# ignores; copy a result worth keeping to bench/results/ and commit it there.
# BENCH_ARGS="--runs 10" etc.; BENCH_ARGS="--results DIR" writes elsewhere.
bench: $(VENV)/.dev
	$(PY) bench/run.py $(BENCH_ARGS)

# How exactly the parser reads the five real texts (resolutions/un/data/texts/real/): per
# text, paragraphs verbatim, footnotes on their paragraph, links right and wrong links.
# ACCURACY_ARGS=--problems lists every difference, expected against found.
accuracy: $(VENV)/.runtime
	$(PY) bench/parser_accuracy.py $(ACCURACY_ARGS)

# Debian's wrk drives the load run; install it when missing and we may.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "The load run needs wrk: apt-get install wrk"; exit 1; fi; }

# gunicorn as make serve runs it (2 uvicorn workers, DEBUG off) on the PostgreSQL server at
# 127.0.0.1:5432, 10 and 50 users for 30 s each, then 500 open event streams while notes are
# written; takes about ten minutes, so it is not part of make test. Writes the JSON to
# bench/results/local/ (ignored by git; LOAD_RESULTS=DIR writes elsewhere); copy a result
# worth keeping to bench/results/ and commit it there. LOAD_ARGS="--streams 1000" or
# LOAD_ARGS="--phases events" etc. (bench/load.py --help).
load: $(VENV)/.dev wrk
	$(PY) bench/load.py $(LOAD_ARGS)

# Two app servers as make serve runs them (one uvicorn worker each) behind Debian's nginx
# with deploy/nginx/workbench.conf, one PostgreSQL database of its own (as make load), one
# Redis (127.0.0.1:6379, keys of the run's own, deleted after); through nginx a static file
# of the reading page's size, then the mixed run for 60 s: 50 readers of the reading page,
# 10 writers of notes and draft proposals, 200 open event streams; a third of the way in one
# app server is stopped (SIGTERM) and started again, and every write answered as saved is
# looked for in the database. About four minutes; not part of make test. JSON to
# bench/results/local/ (LOAD_RESULTS=DIR). LOAD2_ARGS="--servers 1" runs the same on one
# app server with two workers and no proxy; LOAD2_ARGS="--read-every 5" has each reader read
# the page every 5 s (as delegates with it open) rather than again as soon as answered;
# bench/load2.py --help for the rest.
load2: $(VENV)/.dev wrk nginx
	$(PY) bench/load2.py $(LOAD2_ARGS)

# The README's pictures, taken again from a scratch database with demo data made through the
# services (docs/screenshots/take.py); SHOTS="reading phone" takes only those. Needs
# Chromium, pdftoppm (poppler-utils) for the printed briefing, and uses LibreOffice for the
# Word file and pngquant to make the files smaller when they are there.
screenshots: $(VENV)/.dev chromium
	@command -v pdftoppm >/dev/null 2>&1 && command -v pngquant >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils pngquant; \
	  else echo "The printed briefing needs pdftoppm: apt-get install poppler-utils pngquant"; fi; }
	$(PY) docs/screenshots/take.py $(SHOTS)
