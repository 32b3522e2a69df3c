#!/usr/bin/env bash
# Build the web pages' browser libraries into the Python package: `npm ci` from web/assets/package-lock.json
# (exact versions and integrity hashes), then copy only the files the pages load into
# src/palermo/web/static/vendor/. Nothing is ever loaded from a CDN; the pages work with no network at all.
# Skips the work when the vendor folder is newer than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

assets=web/assets
vendor=src/palermo/web/static/vendor
stamp=$vendor/.built-from-lock

if [ -f "$stamp" ] && [ "$stamp" -nt "$assets/package-lock.json" ] && [ "$stamp" -nt "$0" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "build-assets: npm is missing; install Node.js 18+ (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
(cd "$assets" && npm ci --no-audit --no-fund --loglevel=error)

modules=$assets/node_modules
rm -rf "$vendor"
mkdir -p "$vendor/leaflet/images"
cp "$modules/htmx.org/dist/htmx.min.js" "$vendor/htmx.min.js"
cp "$modules/chart.js/dist/chart.umd.min.js" "$vendor/chart.umd.min.js"
cp "$modules/cytoscape/dist/cytoscape.min.js" "$vendor/cytoscape.min.js"
cp "$modules/topojson-client/dist/topojson-client.min.js" "$vendor/topojson-client.min.js"
cp "$modules/world-atlas/countries-110m.json" "$vendor/countries-110m.json"
cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.css" "$vendor/leaflet/"
cp "$modules"/leaflet/dist/images/*.png "$vendor/leaflet/images/"
for package in htmx.org chart.js cytoscape leaflet topojson-client world-atlas; do
    licence=$(ls "$modules/$package" | grep -i -m1 '^licen[cs]e' || true)
    [ -n "$licence" ] && cp "$modules/$package/$licence" "$vendor/LICENSE.$package"
done
(cd "$assets" && node -e 'const l=require("./package-lock.json");const o={};for(const[k,v]of Object.entries(l.packages))if(k)o[k.replace("node_modules/","")]=v.version;console.log(JSON.stringify(o,null,1))') > "$vendor/versions.json"
touch "$stamp"
echo "build-assets: browser libraries copied into $vendor"
