#!/usr/bin/env bash
# Page views per second one server holds: gunicorn as `make serve` runs it (gunicorn.conf.py, DEBUG
# off, collected static files) on the demo market, and wrk (Debian's package) asking for each page
# for DURATION seconds with CONNECTIONS connections, from the same machine: /healthz (a bare view
# through the same middleware), each page as kept for visitors without a session, and each page
# rendered for a visitor with a cart.
#
#   bench/run_throughput.sh                  a fresh SQLite file under /tmp
#   bench/run_throughput.sh postgres://postgres@127.0.0.1:5432/chophien_bench
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
WORK=$(mktemp -d /tmp/chophien-throughput-XXXXXX)
DB_URL=${1:-sqlite:///$WORK/db.sqlite3}
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }

export DATABASE_URL=$DB_URL DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT"
export SECRET_KEY=bench-only-secret-key-0123456789-0123456789-0123456789 STATIC_ROOT=$WORK/static
export MEDIA_ROOT=$WORK/media SERVE_MEDIA=1 JOBS_FILE=$WORK/jobs.sqlite3 LOG_LEVEL=WARNING BIND="127.0.0.1:$PORT"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo >/dev/null
PRODUCT=$($PY manage.py shell --no-imports -c "from products.models import Product; print(Product.objects.public().first().get_absolute_url())")
PRODUCT_ID=$($PY manage.py shell --no-imports -c "from products.models import Product; print(Product.objects.public().first().pk)")
STALL=$($PY manage.py shell --no-imports -c "from products.models import Cooperative; print(Cooperative.objects.verified().first().get_absolute_url())")

.venv/bin/gunicorn storefront.wsgi -c gunicorn.conf.py --access-logfile /dev/null >"$WORK/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done

# A visitor with a cart: their session cookie makes every page rendered for them, never kept.
COOKIE=$(curl -s -o /dev/null -c - -d "product_id=$PRODUCT_ID&quantity=1" "http://127.0.0.1:$PORT/cart/add/" | awk '$6 == "sessionid" {print $7}')

run() {  # label, path, extra wrk arguments
    local out rps p50 errors
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Accept-Language: vi" -H "Accept-Encoding: gzip" "${@:3}" "http://127.0.0.1:$PORT$2")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    printf '%-24s %-36s %10s %12s %s\n' "$1" "$2" "$rps" "$p50" "${errors:+non-2xx: $errors}"
    LAST_RPS=$rps
    LAST_MS=$(awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[^m]s$/) v *= 1000; print v}' <<<"$p50")
}

# Kept pages against the bare view: median latency at most 3 times, throughput at least a quarter.
MISSED=0
check() {  # label
    if awk -v ms="$LAST_MS" -v rps="$LAST_RPS" -v bms="$BARE_MS" -v brps="$BARE_RPS" \
        'BEGIN { exit !(ms <= 3 * bms && rps >= 0.25 * brps) }'; then
        echo "    $1: ok (≤ 3 × the bare view's latency, ≥ 25 % of its throughput)"
    else
        echo "    $1: MISSED"; MISSED=1
    fi
}

echo "database: ${DB_URL%%\?*}; gunicorn workers: ${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}; wrk -c$CONNECTIONS -d${DURATION}s"
printf '%-24s %-36s %10s %12s\n' visitor page "req/s" "p50 latency"
run "bare view" /healthz
BARE_MS=$LAST_MS BARE_RPS=$LAST_RPS
for path in / /products/ "/products/?q=che" "$PRODUCT" "$STALL"; do
    run "no session (kept page)" "$path"
    case "$path" in /products/|"$PRODUCT") check "kept $path" ;; esac
done
for path in / /products/ "/products/?q=che" "$PRODUCT" "$STALL" /cart/; do
    run "with a cart" "$path" -H "Cookie: sessionid=$COOKIE"
done
exit $MISSED
