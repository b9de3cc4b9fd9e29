#!/bin/sh
# Installs Virtuoso Open Source from Debian's packages, for the remote-store tests
# (tests/remote/), which start their own server on loopback and stop it afterwards.
# Only the server binary and isql (package virtuoso-opensource-7-bin): no system service,
# no debconf password prompt, nothing started at install time.
# Idempotent: runs apt-get (update first, quietly) only when virtuoso-t is missing.
# Needs root or passwordless sudo; the Makefile's test target calls it.
set -eu

if command -v virtuoso-t >/dev/null 2>&1 || [ -x /usr/bin/virtuoso-t ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
else
    echo "install-virtuoso: need root to install virtuoso-opensource-7-bin" >&2
    exit 1
fi

echo "install-virtuoso: installing virtuoso-opensource-7-bin" >&2
export DEBIAN_FRONTEND=noninteractive
# never start a service from a maintainer script (policy-rc.d 101 = action forbidden)
policy=/usr/sbin/policy-rc.d
created=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    created=1
fi
status=0
$SUDO apt-get update -qq || status=$?
if [ "$status" -eq 0 ]; then
    RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource-7-bin >/dev/null || status=$?
fi
if [ -n "$created" ]; then
    $SUDO rm -f "$policy"
fi
exit "$status"
