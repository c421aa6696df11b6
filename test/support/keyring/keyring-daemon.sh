#!/usr/bin/env bash
# Run by the private D-Bus bus of with-keyring.sh when something asks for the Secret Service:
# GNOME Keyring with its login keyring created or unlocked with a fixed test password, in the
# foreground so the bus owns its lifetime. Its environment (XDG_DATA_HOME, XDG_RUNTIME_DIR) is
# the private one the bus was started with, so a restart reopens the same keyring files.
# A here-string, not a pipe, so that $$ is the daemon's own pid after exec.
echo "$$ $(date +%s)" >>"$GATEHOUSE_KEYRING_HOME/starts"
exec gnome-keyring-daemon --unlock --components=secrets --foreground >/dev/null <<<'gatehouse-test'
