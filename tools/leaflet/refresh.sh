#!/bin/sh
# Refreshes the map's libraries served by the node itself (static/vendor/leaflet/, embedded in
# the program by src/http/web/map.rs) from the npm registry with npm's ordinary client, pinned.
# Versions and licences: docs/search.md ("The map"). Usage: sh tools/leaflet/refresh.sh
set -eu
LEAFLET=1.9.4
CLUSTER=1.5.3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/static/vendor/leaflet"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "leaflet@$LEAFLET" "leaflet.markercluster@$CLUSTER" >/dev/null
mkdir l m
tar xzf "leaflet-$LEAFLET.tgz" -C l
tar xzf "leaflet.markercluster-$CLUSTER.tgz" -C m
mkdir -p "$OUT/images"
cp l/package/dist/leaflet.js l/package/dist/leaflet.css "$OUT/"
cp l/package/dist/images/*.png "$OUT/images/"
cp l/package/LICENSE "$OUT/LICENSE-leaflet"
cp m/package/dist/leaflet.markercluster.js m/package/dist/MarkerCluster.css \
   m/package/dist/MarkerCluster.Default.css "$OUT/"
cp m/package/MIT-LICENCE.txt "$OUT/LICENSE-markercluster"
chmod 644 "$OUT"/* "$OUT"/images/*
echo "leaflet $LEAFLET and leaflet.markercluster $CLUSTER in $OUT"
