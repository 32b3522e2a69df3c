#!/usr/bin/env bash
# Install the Debian packages Palermo's tests need, only when missing: the PostgreSQL server binaries
# (the test harness starts a throwaway cluster itself), ICU headers, Chromium for page tests, npm for the browser
# libraries, and Java for the Spark engine.
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# PyICU (through rigour, for transliteration) builds against the system ICU when no wheel fits.
dpkg -s libicu-dev >/dev/null 2>&1 || need+=(libicu-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v g++ >/dev/null 2>&1 || need+=(g++)
# Page tests drive Debian's Chromium through Playwright (never Playwright's own browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The web pages' browser libraries are built from the npm registry with `npm ci`.
command -v npm >/dev/null 2>&1 || need+=(npm)
# The Spark engine of entity resolution (pyspark, tested in local mode) needs a Java runtime.
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing Debian packages: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
