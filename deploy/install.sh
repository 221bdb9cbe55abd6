#!/usr/bin/env bash
# Installs or upgrades Pingjia as a systemd service. Run as root on Debian 12 with the
# Swift toolchain on PATH, from a checkout of the release to install:
#
#   sudo deploy/install.sh
#
# Safe to run again: it builds, then replaces the binary, the static files and the unit,
# and restarts the service; it never overwrites /etc/pingjia/pingjia.json or the database.
# An upgrade is the same command run from the newer checkout.
set -euo pipefail
umask 022

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
unit_name=pingjia
binary=/usr/local/bin/pingjia
share=/usr/local/share/pingjia
config_dir=/etc/pingjia
config="$config_dir/pingjia.json"
data_dir=/var/lib/pingjia
backup_dir=/var/backups/pingjia
unit_file=/etc/systemd/system/pingjia.service

did=()
say() { printf '==> %s\n' "$*"; }
record() { did+=("$*"); say "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
# A command that fails stops the script (set -e); say where, and what state it left.
trap 'printf "install.sh: failed at line %s. Check: systemctl status pingjia\n" "$LINENO" >&2' ERR

[ "$(id -u)" -eq 0 ] || die "run me as root (sudo deploy/install.sh)."
command -v swift >/dev/null || die "the Swift toolchain is not on PATH; install it first."
[ -d /run/systemd/system ] || die "systemd is not running on this machine; this script installs a systemd service."

# --- Packages: the libraries to build and run, and the sqlite3 shell for inspection.
say "Checking Debian packages"
bash "$repo/deploy/install-packages.sh"
if ! dpkg-query -W -f='${Status}' sqlite3 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlite3 >/dev/null
  record "Installed the sqlite3 shell"
fi

# --- Build. Done before anything is stopped, so the service stays up while it compiles.
say "Building the release binary (swift build -c release)"
(cd "$repo" && swift build -c release)
built="$(cd "$repo" && swift build -c release --show-bin-path)/pingjia"
[ -x "$built" ] || die "the build did not produce $built."
record "Built $built"

# The binary loads the Swift runtime from the toolchain. The unit's ProtectHome=yes hides
# /root and /home from the service, so a toolchain there would make every start fail.
libraries="$(ldd "$built" 2>&1 || true)"   # a static binary makes ldd fail
if grep -q "not found" <<<"$libraries"; then
  die "the binary needs libraries that are missing:
$(grep "not found" <<<"$libraries")"
fi
runtime="$(awk '/libswiftCore/ { print $3 }' <<<"$libraries")"
case "$runtime" in
  /root/* | /home/*)
    die "the Swift runtime is loaded from $runtime, under a home folder the service cannot see
(ProtectHome=yes). Install the toolchain under /opt or /usr, or build with --static-swift-stdlib." ;;
esac
if [ -n "$runtime" ]; then
  say "Note: the binary uses the Swift runtime in $(dirname "$runtime"); keep that toolchain installed."
fi

# --- The service account: no login, no home of its own beyond the data folder.
if getent passwd pingjia >/dev/null; then
  say "User pingjia exists"
else
  group_option=(--user-group)
  getent group pingjia >/dev/null && group_option=(--gid pingjia)
  useradd --system "${group_option[@]}" --home-dir "$data_dir" --no-create-home \
    --shell /usr/sbin/nologin --comment "Pingjia survey collector" pingjia
  record "Created system user pingjia"
fi

# --- The data folder: only pingjia may enter. Database files someone created as root
# (say, a manual migrate) are handed back to pingjia, or the service could not open them.
install -d -o pingjia -g pingjia -m 0750 "$data_dir"
find "$data_dir" -maxdepth 1 -name 'pingjia.sqlite*' ! -user pingjia -exec chown pingjia:pingjia {} +
record "Data folder $data_dir (pingjia:pingjia, 0750)"
# The nightly copies hold citizens' comments: only pingjia may enter.
install -d -o pingjia -g pingjia -m 0700 "$backup_dir"
record "Backup folder $backup_dir (pingjia:pingjia, 0700)"

# --- Stop a running service before swapping its files; it stops gracefully (SIGTERM).
was_active=no
if systemctl is-active --quiet "$unit_name"; then
  was_active=yes
  systemctl stop "$unit_name"
  record "Stopped the running service for the upgrade"
fi

install -o root -g root -m 0755 "$built" "$binary"
record "Installed $binary"

# Static files: copied beside the old ones, then swapped, so a failed copy leaves the
# previous set in place. Readable by everyone: nginx (www-data) may serve them directly.
install -d -o root -g root -m 0755 "$share"
rm -rf "$share/Public.new"
cp -R "$repo/Public" "$share/Public.new"
chown -R root:root "$share/Public.new"
find "$share/Public.new" -type d -exec chmod 0755 {} +
find "$share/Public.new" -type f -exec chmod 0644 {} +
rm -rf "$share/Public"
mv "$share/Public.new" "$share/Public"
record "Installed static files to $share/Public"

# Reference copies for the operator: the settings documentation (the unit links to it),
# the example with every key, and the nginx site.
install -D -o root -g root -m 0644 "$repo/docs/configuration.md" "$share/docs/configuration.md"
# This kit's README, linked from the backup unit.
install -D -o root -g root -m 0644 "$repo/deploy/README.md" "$share/docs/deploy.md"
# Served at /api/v1/openapi.json (server.openapi_path in the example configuration).
install -D -o root -g root -m 0644 "$repo/docs/openapi.json" "$share/docs/openapi.json"
install -o root -g root -m 0644 "$repo/deploy/pingjia.example.json" "$share/pingjia.example.json"
# The working-day calendars (cases.calendar_directory in the example configuration).
install -d -o root -g root -m 0755 "$share/calendar"
install -o root -g root -m 0644 "$repo"/deploy/calendar/cn-*.json "$share/calendar/"
install -o root -g root -m 0644 "$repo/deploy/nginx-pingjia.conf" "$share/nginx-pingjia.conf"
record "Installed reference copies to $share (docs/configuration.md, docs/openapi.json, pingjia.example.json, nginx-pingjia.conf)"

# --- Configuration: root owns it, pingjia may only read it. Never overwritten.
install -d -o root -g pingjia -m 0750 "$config_dir"
if [ -e "$config" ]; then
  say "Kept the existing $config (compare with $share/pingjia.example.json for new keys)"
else
  install -o root -g pingjia -m 0640 "$repo/deploy/pingjia.example.json" "$config"
  record "Installed the example configuration to $config: set center.name there"
fi
runuser -u pingjia -- test -r "$config" || die "$config is not readable by pingjia (expected root:pingjia 0640)."

# --- The unit.
install -o root -g root -m 0644 "$repo/deploy/pingjia.service" "$unit_file"
systemctl daemon-reload
systemctl reset-failed "$unit_name" 2>/dev/null || true
if ! systemctl enable --now "$unit_name"; then
  journalctl -u "$unit_name" -n 30 --no-pager >&2 || true
  die "the service did not start; the journal is above (a configuration error names the key)."
fi
if [ "$was_active" = yes ]; then
  record "Installed $unit_file and started the new version (migrate ran first)"
else
  record "Installed $unit_file, enabled it at boot and started it (migrate ran first)"
fi

# --- The nightly backup: a timer that starts pingjia-backup.service at 02:30.
install -o root -g root -m 0644 "$repo/deploy/pingjia-backup.service" /etc/systemd/system/pingjia-backup.service
install -o root -g root -m 0644 "$repo/deploy/pingjia-backup.timer" /etc/systemd/system/pingjia-backup.timer
systemctl daemon-reload
systemctl enable --now pingjia-backup.timer
record "Installed and enabled pingjia-backup.timer (nightly copies in $backup_dir, the newest 14 kept)"

# --- Is it answering? GET /healthz on the configured address, with bash alone (curl
# may not be installed). Reads server.host and server.port from the file, crudely.
port="$(sed -n '/"port"/{s/.*"port"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p;q}' "$config")"
host="$(sed -n '/"host"/{s/.*"host"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p;q}' "$config")"
port="${port:-8080}"
host="${host:-127.0.0.1}"
case "$host" in
  0.0.0.0 | localhost | "") host=127.0.0.1 ;;
  *:*) host="" ;;  # IPv6: bash's /dev/tcp is awkward with it; rely on systemctl below
esac
healthy=no
for _ in $(seq 1 30); do
  if ! systemctl is-active --quiet "$unit_name"; then
    sleep 0.5
    continue
  fi
  if [ -z "$host" ]; then healthy=unknown; break; fi
  if status_line="$( (exec 3<>"/dev/tcp/$host/$port" && printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n' "$host" >&3 && head -n 1 <&3) 2>/dev/null)" \
      && [[ "$status_line" == *" 200 "* ]]; then
    healthy=yes
    break
  fi
  sleep 0.5
done
if [ "$healthy" = no ]; then
  journalctl -u "$unit_name" -n 30 --no-pager >&2 || true
  die "the service did not answer GET /healthz on $host:$port within 15 s; the journal is above."
fi
if [ "$healthy" = yes ]; then
  record "GET http://$host:$port/healthz answered 200"
else
  say "The service is active; check GET /healthz on its IPv6 address yourself."
fi

cat <<'EOF'

Done. What was done:
EOF
printf '  - %s\n' "${did[@]}"
cat <<'EOF'

Next:
  - Logs:    journalctl -u pingjia -f
  - nginx:   see /usr/local/share/pingjia/nginx-pingjia.conf (TLS, rate limit, static files)
  - Backup:  nightly by pingjia-backup.timer into /var/backups/pingjia; now, by hand:
               systemctl start pingjia-backup
             Restore: see /usr/local/share/pingjia/docs/deploy.md.
EOF
