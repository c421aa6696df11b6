#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service (GNOME Keyring) on a private D-Bus
# session bus, with a fresh XDG_DATA_HOME, so keychain tests use a real keychain and never the
# user's. Nested calls reuse the running one (GATEHOUSE_KEYRING_READY=1).
#
# The daemon is started by D-Bus activation through our own service file (keyring-daemon.sh),
# never by the system's: if it ever exits mid-run, the next request starts it again on the same
# unlocked keyring files instead of the system default, which would be a different, locked
# keyring and would turn one daemon exit into a cascade of keychain_locked failures. Each start
# is counted and a restart is reported at the end.
set -u
if [ "${GATEHOUSE_KEYRING_READY:-}" = "1" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon is missing (apt-get install dbus gnome-keyring); keychain tests will be skipped" >&2
  exec "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_KEYRING_HOME
GATEHOUSE_KEYRING_HOME=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-keyring.XXXXXX")
# Exported before the bus starts, so the bus (and every daemon it activates) sees them: the
# bus looks for service files in $XDG_DATA_HOME/dbus-1/services before the system folders.
export XDG_DATA_HOME="$GATEHOUSE_KEYRING_HOME/data" XDG_RUNTIME_DIR="$GATEHOUSE_KEYRING_HOME/run"
mkdir -p "$XDG_DATA_HOME/dbus-1/services" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cat >"$XDG_DATA_HOME/dbus-1/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/bash "$here/keyring-daemon.sh"
SERVICE
exec dbus-run-session -- bash -c '
  # Start it now (bounded wait) rather than on the first test request.
  for _ in $(seq 1 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null 2>&1
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then break; fi
    sleep 0.1
  done
  export GATEHOUSE_KEYRING_READY=1
  "$@"
  status=$?
  starts=$(wc -l <"$GATEHOUSE_KEYRING_HOME/starts" 2>/dev/null || echo 0)
  if [ "$starts" -gt 1 ]; then
    echo "with-keyring: the Secret Service daemon exited during the run and was started again ($starts starts in all)" >&2
  fi
  rm -rf "$GATEHOUSE_KEYRING_HOME"
  exit $status
' with-keyring "$@"
