#!/usr/bin/env bash
# Smoke test of a running Waakvlam demo server with curl: /healthz answers, the login page has a CSRF token,
# and the demo professional can log in and lands on "Mijn caseload".
#
# Usage: scripts/smoke.sh http://127.0.0.1:18080
# Needs curl and python3. Used by .ci/run; also handy by hand against `waakvlam demo`.
set -euo pipefail

base="${1:-${WAAKVLAM_BASE_URL:-}}"
if [ -z "$base" ]; then
  echo "usage: $0 BASE_URL   (for example http://127.0.0.1:18080)" >&2
  exit 2
fi
base="${base%/}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$work/cookies.txt"

fail() {
  echo "smoke: FAILED: $*" >&2
  exit 1
}

# http_status URL: prints the status code of a GET (000 when nothing answers).
http_status() {
  curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$1" 2>/dev/null || true
}

echo "smoke: GET $base/healthz"
status="$(http_status "$base/healthz")"
[ "$status" = "200" ] || fail "GET /healthz answered $status, expected 200"

echo "smoke: GET $base/login"
status="$(curl -sS --max-time 30 -c "$jar" -b "$jar" -o "$work/login.html" -w '%{http_code}' "$base/login")" ||
  fail "GET /login: curl could not connect"
[ "$status" = "200" ] || fail "GET /login answered $status, expected 200"

# The value of <input name="csrf_token" value="…">, whatever the attribute order or quoting.
token="$(
  python3 - "$work/login.html" <<'PY'
import sys
from html.parser import HTMLParser

class Finder(HTMLParser):
    token = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "csrf_token" and self.token is None:
            self.token = a.get("value") or ""

f = Finder()
with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
    f.feed(fh.read())
print(f.token or "")
PY
)"
[ -n "$token" ] || fail "the login page has no <input name=\"csrf_token\" value=\"…\">"
echo "smoke: found a csrf_token (${#token} characters)"

echo "smoke: POST $base/login as professional@demo.waakvlam.nl (following redirects)"
result="$(
  curl -sS --max-time 60 -L -c "$jar" -b "$jar" -o "$work/after-login.html" \
    -w '%{http_code} %{url_effective}' \
    -H "Origin: $base" -H "Referer: $base/login" \
    --data-urlencode "email=professional@demo.waakvlam.nl" \
    --data-urlencode "password=waakvlam-demo" \
    --data-urlencode "csrf_token=$token" \
    "$base/login"
)" || fail "POST /login: curl failed"
status="${result%% *}"
final_url="${result#* }"
echo "smoke: ended on $final_url with status $status"
[ "$status" = "200" ] || fail "after logging in the final page answered $status, expected 200 (ended on $final_url)"
if ! grep -q "Mijn caseload" "$work/after-login.html"; then
  echo "---- first 40 lines of the page after logging in ----" >&2
  head -n 40 "$work/after-login.html" >&2 || true
  fail "the page after logging in (ended on $final_url) does not contain \"Mijn caseload\""
fi

echo "smoke: OK (healthz 200, login with CSRF token, landed on \"Mijn caseload\")"
