#!/usr/bin/env bash
# Rebuild the committed front-end bundle from frontend/package-lock.json.
#
#   bash scripts/build_frontend.sh        (from the repository root; needs node + npm)
#
# Produces (all committed, so run time and CI need no Node):
#   static/css/opcc.css                   GOV.UK Frontend 6 + MOJ Frontend 11 + project styles
#   static/assets/                        images + manifest.json referenced by the CSS (no fonts)
#   static/js/govuk-frontend.min.js(.map) GOV.UK Frontend (ES module)
#   static/js/moj-frontend.min.js(.map)   MOJ Frontend (ES module)
#   static/js/chart.umd.min.js(.map)      Chart.js (UMD, sets window.Chart)
# static/js/init.js is hand-written and is not touched.
#
# Idempotent: it removes what it generates, then recreates it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
NM="$FRONTEND/node_modules"
STATIC="$ROOT/static"

GOVUK="$NM/govuk-frontend/dist/govuk"
MOJ="$NM/@ministryofjustice/frontend/moj"
CHART="$NM/chart.js/dist"

echo "==> npm ci"
(cd "$FRONTEND" && npm ci --no-audit --no-fund)

echo "==> clean generated files"
rm -rf "$STATIC/css" "$STATIC/assets"
rm -f "$STATIC/js/govuk-frontend.min.js" "$STATIC/js/govuk-frontend.min.js.map" \
      "$STATIC/js/moj-frontend.min.js" "$STATIC/js/moj-frontend.min.js.map" \
      "$STATIC/js/chart.umd.min.js" "$STATIC/js/chart.umd.min.js.map"
mkdir -p "$STATIC/css" "$STATIC/js" "$STATIC/assets"

echo "==> sass -> static/css/opcc.css"
# --load-path=. makes "node_modules/..." resolve from frontend/ (MOJ Frontend's own
# Sass loads "node_modules/govuk-frontend/dist/govuk/base" the same way).
(cd "$FRONTEND" && npx --no-install sass \
    --load-path=. \
    --style=compressed \
    --no-source-map \
    --quiet-deps \
    scss/opcc.scss "$STATIC/css/opcc.css")

echo "==> assets -> static/assets/"
# GOV.UK Frontend: everything under dist/govuk/assets except fonts/ (we use Arial).
for entry in "$GOVUK/assets/"*; do
    name="$(basename "$entry")"
    [ "$name" = "fonts" ] && continue
    cp -R "$entry" "$STATIC/assets/"
done
# MOJ Frontend: moj/assets/images -> static/assets/images (no name clashes with GOV.UK).
for f in "$MOJ/assets/images/"*; do
    if [ -e "$STATIC/assets/images/$(basename "$f")" ]; then
        echo "ERROR: MOJ asset $(basename "$f") would overwrite a GOV.UK asset" >&2
        exit 1
    fi
done
cp -R "$MOJ/assets/images/." "$STATIC/assets/images/"

echo "==> scripts -> static/js/"
# The .map files are copied too: each .min.js ends with a sourceMappingURL comment,
# and Django's ManifestStaticFilesStorage fails collectstatic if it points nowhere.
cp "$GOVUK/govuk-frontend.min.js" "$GOVUK/govuk-frontend.min.js.map" "$STATIC/js/"
cp "$MOJ/moj-frontend.min.js" "$MOJ/moj-frontend.min.js.map" "$STATIC/js/"
cp "$CHART/chart.umd.min.js" "$CHART/chart.umd.min.js.map" "$STATIC/js/"

echo "==> checks"
CSS="$STATIC/css/opcc.css"
fail=0
if grep -q "@font-face" "$CSS"; then
    echo "ERROR: opcc.css contains @font-face" >&2; fail=1
fi
if grep -qi "GDS Transport" "$CSS"; then
    echo "ERROR: opcc.css mentions GDS Transport" >&2; fail=1
fi
if ! grep -q "font-family:arial,sans-serif" "$CSS"; then
    echo "ERROR: opcc.css has no font-family:arial,sans-serif" >&2; fail=1
fi
if grep -o "font-family:[^;}]*" "$CSS" | grep -qv -e "font-family:arial,sans-serif" -e "font-family:sans-serif" -e "font-family:inherit"; then
    echo "ERROR: unexpected font-family in opcc.css:" >&2
    grep -o "font-family:[^;}]*" "$CSS" | sort -u >&2; fail=1
fi
if grep -q "sourceMappingURL" "$CSS"; then
    echo "ERROR: opcc.css references a source map" >&2; fail=1
fi
nurls=0
while IFS= read -r url; do
    nurls=$((nurls + 1))
    case "$url" in
        ../assets/*) ;;
        *) echo "ERROR: url($url) in opcc.css is not relative ../assets/..." >&2; fail=1; continue ;;
    esac
    if [ ! -f "$STATIC/css/$url" ]; then
        echo "ERROR: url($url) in opcc.css does not resolve to a file" >&2; fail=1
    fi
done < <(grep -o 'url([^)]*)' "$CSS" | sed -e 's/^url(//' -e 's/)$//' -e 's/^["'\'']//' -e 's/["'\'']$//' | sort -u)
for js in govuk-frontend.min.js moj-frontend.min.js chart.umd.min.js init.js; do
    [ -f "$STATIC/js/$js" ] || { echo "ERROR: static/js/$js missing" >&2; fail=1; }
done
[ "$fail" -eq 0 ] || exit 1

echo "OK: $(wc -c < "$CSS") bytes of CSS, $nurls asset urls all resolve"
