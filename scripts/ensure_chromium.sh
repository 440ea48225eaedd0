#!/usr/bin/env bash
# What the test suite needs from Debian: Chromium for the browser journeys (Playwright cannot download its own
# browser here) and poppler-utils' pdftoppm, which draws the generated PDFs as pictures to check their pages.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing: ${missing[*]}: install Debian's packages (sudo apt-get install -y ${missing[*]}) to run the tests." >&2
exit 1
