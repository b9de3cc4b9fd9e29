#!/bin/sh
# Installs the programs the export tests open their output with: Graphviz (`dot -Tsvg`)
# and Debian's Chromium (driven by Playwright, never `playwright install`).
# Idempotent: runs apt-get (update first, quietly) only when something is missing.
# Needs root or passwordless sudo; the Makefile's test target calls it.
set -eu

missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
# a font, so that the pictures Chromium renders have readable text
[ -x /usr/bin/chromium ] || missing="$missing chromium fonts-dejavu-core"

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
else
    echo "install-system-deps: need root to install:$missing" >&2
    exit 1
fi

echo "install-system-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086  # $missing is a word list on purpose
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
