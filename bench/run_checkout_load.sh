#!/usr/bin/env bash
# Checkout under load, end to end: a database, a product with STOCK units, gunicorn with 4 sync
# workers run as in production (DEBUG off, collected static files), BUYERS buyers pressing
# "order" at the same instant, then the database itself is checked: stock 0, exactly STOCK orders.
#
#   bench/run_checkout_load.sh                 a fresh SQLite file under /tmp (removed after a pass)
#   bench/run_checkout_load.sh postgres://postgres@127.0.0.1:5432/chophien_bench
#   DATABASE_URL=postgres://... BUYERS=100 STOCK=10 PORT=8765 bench/run_checkout_load.sh
#
# A PostgreSQL database that does not exist yet is created with psql. The database is migrated,
# never emptied: the bench product is reset and only orders placed after the reset are counted.
# Exits non-zero when a target is missed (orders, 5xx, other errors, final stock and order count).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BUYERS=${BUYERS:-50}
STOCK=${STOCK:-10}
WORKERS=${WORKERS:-4}
WORK=$(mktemp -d /tmp/chophien-checkout-bench-XXXXXX)
DB_URL=${1:-${DATABASE_URL:-sqlite:///$WORK/db.sqlite3}}
PORT=${PORT:-$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE_URL="http://127.0.0.1:$PORT"

case "$DB_URL" in
postgres://* | postgresql://*)
    db_name=${DB_URL##*/}
    db_name=${db_name%%\?*}
    server_url=${DB_URL%/*}/postgres
    if [ -z "$(psql "$server_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" ]; then
        psql "$server_url" -qc "CREATE DATABASE \"$db_name\""
        echo "created PostgreSQL database $db_name"
    fi
    ;;
esac

export DATABASE_URL=$DB_URL
export DEBUG=0
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL=$BASE_URL
export STATIC_ROOT=$WORK/static
export MEDIA_ROOT=$WORK/media
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
# Every bench buyer comes from 127.0.0.1: the per-client checkout limit would refuse most of them.
export ORDER_CHECKOUT_LIMIT=100000

echo "database: ${DB_URL%%\?*}"
$PY manage.py migrate --noinput >"$WORK/migrate.log"
$PY manage.py collectstatic --noinput >"$WORK/collectstatic.log"
SLUG=$($PY bench/setup_checkout_product.py --stock "$STOCK")

.venv/bin/gunicorn storefront.wsgi -w "$WORKERS" -b "127.0.0.1:$PORT" --timeout 60 \
    --error-logfile "$WORK/gunicorn.log" --capture-output &
GUNICORN_PID=$!
stop_server() {
    if kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT

for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "$BASE_URL/healthz"; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then
        echo "gunicorn did not start:" && tail -n 30 "$WORK/gunicorn.log"
        exit 1
    fi
    sleep 0.5
done
echo "gunicorn: $WORKERS workers on $BASE_URL"

bench_rc=0
$PY bench/checkout_load.py --base-url "$BASE_URL" --buyers "$BUYERS" --product-slug "$SLUG" \
    --expect-orders "$STOCK" || bench_rc=$?
stop_server

report=$($PY bench/setup_checkout_product.py --report)
final_stock=$(sed -n 's/^stock=//p' <<<"$report")
final_orders=$(sed -n 's/^orders=//p' <<<"$report")
echo "database after the run: stock $final_stock (expected 0), orders $final_orders (expected $STOCK)"

status=0
if [ "$bench_rc" -ne 0 ] || [ "$final_stock" != 0 ] || [ "$final_orders" != "$STOCK" ]; then
    status=1
fi
if [ "$status" -ne 0 ] || grep -q Traceback "$WORK/gunicorn.log"; then
    echo "server log ($WORK/gunicorn.log), last lines:"
    tail -n 40 "$WORK/gunicorn.log"
fi
if [ "$status" -eq 0 ]; then
    rm -rf "$WORK"
    echo "PASS"
else
    echo "FAIL (files kept in $WORK)"
fi
exit "$status"
