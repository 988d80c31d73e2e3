#!/bin/sh
# Install RecoveryDesk for the current user, or remove it again (`make install`, `make uninstall`).
#
#   sh packaging/install.sh install     the package in its own venv, a launcher, menu entry, icons
#   sh packaging/install.sh uninstall   removes exactly those; never the runner's data
#
# Where things go (XDG base directories; nothing outside $HOME, no root needed):
#   $XDG_DATA_HOME/recoverydesk-app/venv       the package and its dependencies
#   ~/.local/bin/recoverydesk                  the launcher (a symbolic link into the venv)
#   $XDG_DATA_HOME/applications/…desktop       the menu entry
#   $XDG_DATA_HOME/icons/hicolor/…             the icon, every size
#   $XDG_DATA_HOME/metainfo/…metainfo.xml      what software centres show
# The runner's data lives in $XDG_DATA_HOME/RecoveryDesk (or --data-dir) and is not touched.
# PIP_OPTIONS adds options to pip (the tests use it); PYTHON picks the interpreter.
set -eu

APP_ID=io.github.recoverydesk.RecoveryDesk
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE=$(dirname "$HERE")
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
case "$DATA_HOME" in /*) ;; *) DATA_HOME=$HOME/.local/share ;; esac
APP_HOME=$DATA_HOME/recoverydesk-app
BIN_DIR=$HOME/.local/bin
LAUNCHER=$BIN_DIR/recoverydesk
DESKTOP_FILE=$DATA_HOME/applications/$APP_ID.desktop
METAINFO=$DATA_HOME/metainfo/$APP_ID.metainfo.xml
ICONS=$DATA_HOME/icons/hicolor
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
}

install_app() {
    python=${PYTHON:-python3}
    echo "Installing RecoveryDesk into $APP_HOME"
    rm -rf "$APP_HOME/venv"
    mkdir -p "$APP_HOME"
    "$python" -m venv "$APP_HOME/venv"
    # shellcheck disable=SC2086  # PIP_OPTIONS is a list of options
    "$APP_HOME/venv/bin/python" -m pip install -q --disable-pip-version-check \
        ${PIP_OPTIONS:-} "$SOURCE"
    mkdir -p "$BIN_DIR"
    ln -sfn "$APP_HOME/venv/bin/recoverydesk" "$LAUNCHER"

    mkdir -p "$(dirname "$DESKTOP_FILE")"
    sed -e "s|^Exec=recoverydesk|Exec=$LAUNCHER|" -e "s|^TryExec=recoverydesk|TryExec=$LAUNCHER|" \
        "$HERE/$APP_ID.desktop" > "$DESKTOP_FILE"
    mkdir -p "$(dirname "$METAINFO")"
    cp "$HERE/$APP_ID.metainfo.xml" "$METAINFO"
    for size in $SIZES; do
        mkdir -p "$ICONS/${size}x${size}/apps"
        cp "$SOURCE/resources/icons/recoverydesk-$size.png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
    done
    mkdir -p "$ICONS/scalable/apps"
    cp "$SOURCE/resources/icons/recoverydesk.svg" "$ICONS/scalable/apps/$APP_ID.svg"
    refresh_caches
    echo "Installed. Start it from your applications menu, or run: $LAUNCHER"
    case ":$PATH:" in *":$BIN_DIR:"*) ;; *) echo "($BIN_DIR is not on your PATH yet.)" ;; esac
}

uninstall_app() {
    echo "Removing RecoveryDesk from $APP_HOME (your data stays where it is)"
    if [ -L "$LAUNCHER" ] || [ -f "$LAUNCHER" ]; then
        case "$(readlink "$LAUNCHER" 2>/dev/null || true)" in
            "$APP_HOME"/*) rm -f "$LAUNCHER" ;;
            *) echo "Leaving $LAUNCHER: it is not ours." ;;
        esac
    fi
    rm -rf "$APP_HOME"
    rm -f "$DESKTOP_FILE" "$METAINFO" "$ICONS/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do
        rm -f "$ICONS/${size}x${size}/apps/$APP_ID.png"
    done
    autostart=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/recoverydesk.desktop
    rm -f "$autostart"
    refresh_caches
    echo "Removed."
}

case "${1:-}" in
    install) install_app ;;
    uninstall) uninstall_app ;;
    *) echo "usage: $0 install|uninstall" >&2; exit 2 ;;
esac
