#!/usr/bin/env bash
# The kept pages while changes arrive (issue 17, docs/benchmarks.md): a node on a copy of a
# data directory the pages bench kept (`cargo bench --bench pages -- --missions 100000 --keep`),
# the home page, an association's page and /api/v1/missions measured with ApacheBench while
# one slot is changed RATE times a second (each change is logged, so it drops every kept page).
#
#   tools/bench/pages-under-writes.sh ENTRAIDE_BINARY KEPT_DATA_DIR RATE
#
# Needs ab (apache2-utils), curl and python3. Prints one line per run: rate, page, req/s, p99.
set -euo pipefail
bin=$1 src=$2 rate=$3
dir=$(mktemp -d)
cp -a "$src"/. "$dir"/
port=18931
ENTRAIDE__SERVER__BIND=127.0.0.1:$port ENTRAIDE__SERVER__PUBLIC_URL=http://localhost:$port \
ENTRAIDE__SERVER__DATA_DIR=$dir ENTRAIDE__DATABASE__URL=sqlite://$dir/entraide.sqlite \
  "$bin" serve >"$dir/node.log" 2>&1 &
node=$!
writer=""
cleanup() {
  [ -n "$writer" ] && kill "$writer" 2>/dev/null
  kill "$node" 2>/dev/null
  wait "$node" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 1
done
sleep 8 # the search index opened, the node idle
if [ "$rate" != 0 ]; then
  python3 - "$dir/entraide.sqlite" "$rate" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=5, isolation_level=None)
rate, n = float(sys.argv[2]), 0
ids = [r[0] for r in db.execute("SELECT id FROM slot ORDER BY id DESC LIMIT 1000")]
while True:
    db.execute("UPDATE slot SET updated = updated WHERE id = ?", (ids[n % len(ids)],))
    n += 1
    time.sleep(1 / rate)
PY
  writer=$!
fi
for path in / /g/asso0 /api/v1/missions; do
  ab -k -c 16 -n 200 "http://127.0.0.1:$port$path" >/dev/null 2>&1
  for _ in 1 2 3; do
    ab -k -l -c 16 -t 3 -n 1000000 "http://127.0.0.1:$port$path" 2>/dev/null |
      awk -v p="$path" -v r="$rate" '/Requests per second/ {rps=$4} /99%/ {p99=$2}
        END {printf "changes/s %s %-18s %6.0f req/s p99 %s ms\n", r, p, rps, p99}'
  done
done
