-- The request `make load` sends, from the environment (bench/load.py sets it), and one line
-- of JSON at the end with the numbers bench/load.py reads.
--   WRK_METHOD  GET (default) or POST
--   WRK_BODY    a form-encoded body for POST
--   WRK_COOKIE  the Cookie header: the session of a logged-in delegate, the CSRF cookie
--   WRK_CSRF    the CSRF token, sent as X-CSRFToken as htmx does
--   WRK_HTMX    "1" to send HX-Request: true

wrk.method = os.getenv("WRK_METHOD") or "GET"

local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local cookie = os.getenv("WRK_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local csrf = os.getenv("WRK_CSRF") or ""
if csrf ~= "" then
  wrk.headers["X-CSRFToken"] = csrf
end

if os.getenv("WRK_HTMX") == "1" then
  wrk.headers["HX-Request"] = "true"
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
