#!/bin/sh
# Install the Debian packages named as arguments when they are missing.
# As root it runs apt-get; otherwise it names what is missing and stops.
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: the user provides Qt's libraries
missing=""
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
else
    echo "These system packages are missing:$missing"
    echo "Install them with: sudo apt-get install --no-install-recommends$missing"
    exit 1
fi
