#!/bin/sh
# After `make dist`: the wheel in a clean venv, and the bundle with a bare environment, must
# both fill a demo data folder and screenshot every view offscreen (resources and icons inside).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VIEWS="today log calendar exercises charts history guided"
work=build/check-dist
rm -rf "$work" && mkdir -p "$work"

shots() {  # $1: label, then the command to run
    label=$1; shift
    "$@" --data-dir "$work/$label-data" demo >/dev/null
    for view in $VIEWS; do
        "$@" --data-dir "$work/$label-data" screenshot --view "$view" --size 1024x640 \
            --out "$work/$label-$view.png"
        [ -s "$work/$label-$view.png" ] || { echo "$label: no screenshot of $view" >&2; exit 1; }
    done
    echo "$label: demo and $(echo $VIEWS | wc -w) screenshots OK"
}

echo "== the wheel in a clean venv"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check dist/recoverydesk-*.whl
"$work/venv/bin/recoverydesk" --version
QT_QPA_PLATFORM=offscreen shots wheel "$work/venv/bin/recoverydesk" 2>&1 |
    grep -v propagateSizeHints || true
[ -s "$work/wheel-guided.png" ] || { echo "the wheel failed" >&2; exit 1; }

echo "== the bundle with a bare environment"
bare() { env -i HOME="$PWD/$work/home" QT_QPA_PLATFORM=offscreen "$PWD/dist/RecoveryDesk/recoverydesk" "$@"; }
bare --version
shots bundle bare 2>&1 | grep -v propagateSizeHints || true
[ -s "$work/bundle-guided.png" ] || { echo "the bundle failed" >&2; exit 1; }
du -sh dist/RecoveryDesk
