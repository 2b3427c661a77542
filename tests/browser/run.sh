#!/usr/bin/env bash
# Browser tests for the Jobbvinner site: a real browser (Debian's Chromium, driven by
# playwright-core) against the built site served by a real web server (NGINX).
#
#   tests/browser/run.sh [OUTPUT_DIR]
#
# What it does, in order:
#   1. Installs what is missing, and only that: Debian's `chromium` (and fonts), `nginx`,
#      `nodejs` and `npm` (apt-get update + install only when one is missing; run as root or
#      with sudo), then the pinned npm packages playwright-core, axe-core and lighthouse from
#      tests/browser/package-lock.json (`npm ci`, skipped while node_modules matches the lock).
#      No browser is ever downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, and the tests launch
#      /usr/bin/chromium. playwright-core needs Node >= 20 (the machine image's Node).
#   2. Builds the site with `cargo run --release --locked -- build --base-url
#      http://127.0.0.1:PORT --output DIR` from the repository root. DIR is OUTPUT_DIR when
#      given (a folder that does not exist, is empty, or holds an earlier build), else a fresh
#      temporary folder under /dev/shm (or /tmp), removed afterwards.
#   3. Serves DIR with NGINX on 127.0.0.1:PORT (a free loopback port; config, pid file,
#      logs and temp files in a temporary folder; `error_page 404 /404.html`; gzip on).
#   4. Runs tests/browser/test.mjs (node) against it: every page type loads without errors
#      or failed/foreign requests, axe-core (WCAG 2.2 A+AA and best practice) finds no
#      violations at 1280 and 320 px, no horizontal scrolling and no word cut without a
#      hyphen at 320 px, document structure (lang, one h1, one main, skip link first, no
#      skipped heading levels), the tips filter with and without JavaScript (checked against
#      /tips/search.json) and collapsed on a phone, the main menu button with and without
#      JavaScript and by keyboard, keyboard navigation and visible focus, screenshots at 320,
#      375, 768 and 1280 px, axe on every page of the site, and Lighthouse (accessibility,
#      best practices, SEO at 100) on one page of each type, in Debian's Chromium
#      (chrome-launcher, CHROME_PATH=/usr/bin/chromium).
#   5. Stops NGINX (trap) and exits non-zero if any check failed. Every check prints a PASS or
#      FAIL line (FAIL with what to fix: axe rule, impact, selectors); the last line is
#      `browser: N passed, N failed`. About four minutes on 2 cores once the release build
#      exists (Lighthouse is about a minute and a half of it).
#
# Artifacts (screenshots, axe JSON per page and width, nginx logs) go to
# target/browser-artifacts/ at the repository root (emptied at the start of each run).
#
# Environment (all optional):
#   BROWSER_TEST_SITE_ROOT  site folder passed to the generator as --root (default: repo root)
#   BROWSER_TEST_NO_BUILD=1 serve OUTPUT_DIR as it is (it must have been built with
#                           --base-url http://127.0.0.1:$BROWSER_TEST_PORT)
#   BROWSER_TEST_PORT       port to serve on (default: a free one)
#   BROWSER_TEST_ONLY       regular expression: run only checks whose name matches (debugging)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" # nginx lives in /usr/sbin
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '== browser: %s\n' "$*"; }
die() { printf 'browser: FAIL %s\n' "$*" >&2; exit 1; }

# --- 1. Tools --------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Fonts for rendering (screenshots, text widths); chromium only recommends them.
if ! { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qiE 'liberation|dejavu'; }; then
    missing+=(fonts-liberation fonts-dejavu-core)
fi
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
    say "installing ${missing[*]} (apt-get)"
    apt_sudo=()
    [ "$(id -u)" -eq 0 ] || apt_sudo=(sudo)
    "${apt_sudo[@]}" apt-get update -q
    "${apt_sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after installing chromium"

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $node_major is too old: playwright-core needs node >= 20"

stamp="$here/node_modules/.jobbvinner-lock.sha256"
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ] \
    || [ ! -f "$here/node_modules/playwright-core/package.json" ] \
    || [ ! -f "$here/node_modules/axe-core/axe.min.js" ] \
    || [ ! -f "$here/node_modules/lighthouse/package.json" ]; then
    say "npm ci (playwright-core, axe-core, lighthouse)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$lock_sum" >"$stamp"
fi

# --- 2. Build --------------------------------------------------------------------------------
tmp=$(mktemp -d "$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo /tmp )/jobbvinner-browser.XXXXXX")
nginx_pid=
cleanup() {
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -TERM "$nginx_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nginx_pid" 2>/dev/null || true
    fi
    if [ -d "${artifacts:-}" ] && [ -d "$tmp/nginx" ]; then
        cp "$tmp/nginx/access.log" "$tmp/nginx/error.log" "$artifacts/" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

if [ $# -ge 1 ] && [ -n "$1" ]; then
    site="$1"
    mkdir -p "$(dirname "$site")"
    site=$(cd "$(dirname "$site")" && pwd)/$(basename "$site")
else
    site="$tmp/public"
fi

artifacts="$repo/target/browser-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"

build() { # builds the site for $base_url into $site
    if [ "${BROWSER_TEST_NO_BUILD:-}" = 1 ]; then
        [ -f "$site/index.html" ] || die "BROWSER_TEST_NO_BUILD=1 but $site/index.html does not exist"
        say "serving $site as it is (no build)"
        return
    fi
    local root_args=()
    [ -z "${BROWSER_TEST_SITE_ROOT:-}" ] || root_args=(--root "$BROWSER_TEST_SITE_ROOT")
    say "building the site into $site (base URL $base_url)"
    cargo run --release --locked --quiet -- "${root_args[@]}" build --base-url "$base_url" --output "$site" \
        || die "the site did not build"
    [ -f "$site/index.html" ] || die "no index.html in $site"
}

# --- 3. Serve with NGINX ---------------------------------------------------------------------
mkdir -p "$tmp/nginx"
user_line=
[ "$(id -u)" -ne 0 ] || user_line="user root;" # workers must read the (private) temp folder
start_nginx() { # starts nginx for $site on $port; succeeds once it answers
    cat >"$tmp/nginx/nginx.conf" <<NGINX
$user_line
daemon off;
master_process on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css application/javascript application/json image/svg+xml text/plain text/xml;
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    sendfile on;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml text/plain text/xml;
    server {
        listen 127.0.0.1:$port;
        server_name 127.0.0.1;
        root $site;
        index index.html;
        error_page 404 /404.html;
        location / { try_files \$uri \$uri/ =404; }
    }
}
NGINX
    nginx -t -q -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
        || die "nginx rejected $tmp/nginx/nginx.conf"
    nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
    nginx_pid=$!
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "$base_url/" 2>/dev/null && return 0
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=
    return 1
}

# The port is part of the base URL the site is built with: if another program takes the free
# port before nginx does, build again for another one.
for attempt in 1 2 3; do
    port=${BROWSER_TEST_PORT:-$(free_port)}
    base_url="http://127.0.0.1:$port"
    build
    start_nginx && break
    cat "$tmp/nginx/error.log" >&2 || true
    { [ "$attempt" -lt 3 ] && [ -z "${BROWSER_TEST_PORT:-}" ]; } || die "nginx did not start on $base_url"
    say "nginx could not serve on port $port; trying another"
done
say "nginx $(nginx -v 2>&1 | sed 's/.*\///') serving $site at $base_url/"

# --- 4. Tests --------------------------------------------------------------------------------
status=0
BASE_URL="$base_url" SITE_DIR="$site" ARTIFACTS_DIR="$artifacts" CHROMIUM=/usr/bin/chromium \
    CHROME_PATH=/usr/bin/chromium \
    AXE_PATH="$here/node_modules/axe-core/axe.min.js" \
    node "$here/test.mjs" || status=$?
exit "$status"
