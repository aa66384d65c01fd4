#!/usr/bin/env bash
# Page weight like production: DEBUG off, collectstatic (brotli/gzip via whitenoise), gunicorn,
# a fresh SQLite database with the demo market and camera photos (bench/real_photos.py), then
# bench/page_weight.py on the main pages.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8111}"
WORK="$(mktemp -d /tmp/chophien-weight.XXXXXX)"

export DEBUG=0 SERVE_MEDIA=1 ALLOWED_HOSTS=127.0.0.1 AXES_ENABLED=0
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(60))')"
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static"

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo
# Real photographs instead of the demo's drawings (scikit-image, requirements-bench.txt).
$PY bench/real_photos.py

.venv/bin/gunicorn storefront.wsgi:application -b "127.0.0.1:$PORT" -w 2 --log-level warning \
  --pid "$WORK/gunicorn.pid" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
status=0
$PY bench/page_weight.py "$@" \
  "$BASE/" \
  "$BASE/products/" \
  "$BASE/products/?q=tra+shan+tuyet" \
  "$BASE/products/che-shan-tuyet-co-thu-lung-phin/" \
  "$BASE/cooperatives/htx-che-shan-tuyet-lung-phin/" \
  "$BASE/en/products/che-shan-tuyet-co-thu-lung-phin/" \
  "$BASE/products/che-shan-tuyet-co-thu-lung-phin/poster/" \
  --save-data "$BASE/products/" --save-data "$BASE/products/che-shan-tuyet-co-thu-lung-phin/" || status=$?

# Lighthouse's mobile preset (simulated slow 4G, a mid-range phone), when `npm ci` installed it.
LIGHTHOUSE=node_modules/.bin/lighthouse
if [ -x "$LIGHTHOUSE" ]; then
  echo "Lighthouse $($LIGHTHOUSE --version), mobile preset:"
  for path in / /products/ /products/che-shan-tuyet-co-thu-lung-phin/ /cooperatives/htx-che-shan-tuyet-lung-phin/; do
    CHROME_PATH=/usr/bin/chromium "$LIGHTHOUSE" "$BASE$path" --quiet --only-categories=performance \
      --output=json --output-path="$WORK/lighthouse.json" --chrome-flags="--headless=new --no-sandbox" || true
    $PY - "$WORK/lighthouse.json" "$path" <<'REPORT' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
score = report["categories"]["performance"]["score"] * 100
lcp = report["audits"]["largest-contentful-paint"]["numericValue"] / 1000
print(f"  {sys.argv[2]:<50} performance {score:3.0f}  LCP {lcp:.2f} s{'  OVER' if lcp > 2.5 else ''}")
sys.exit(lcp > 2.5)
REPORT
  done
fi
exit $status
