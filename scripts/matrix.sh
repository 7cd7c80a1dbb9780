#!/usr/bin/env bash
# The QGIS matrix: the plugin's suite on other Debian releases' QGIS, each in a
# chroot built with debootstrap from Debian's own packages (no pip for anything
# the plugin imports), kept outside the repository so that a second run is fast.
#
#   bash scripts/matrix.sh build SUITE            # make or refresh the chroot
#   bash scripts/matrix.sh test  SUITE [-- ARGS]  # pytest ARGS (default: tests) inside it
#   bash scripts/matrix.sh demo  SUITE            # make demo inside it (PNG + PDF written)
#   bash scripts/matrix.sh run   SUITE -- CMD...  # any command, from the checkout
#   bash scripts/matrix.sh shell SUITE
#
# SUITE is trixie (Debian 13: QGIS 3.40, Python 3.13, numpy 2.2, GDAL 3.10,
# PostgreSQL 17) or sid (QGIS 3.44). The checkout is bind-mounted into the
# chroot inside a private mount namespace (unshare), so concurrent runs from
# several worktrees do not see each other's mounts and nothing stays mounted.
# Cache: $TQ_CHROOT_DIR (default /var/cache/tranquillite/chroots).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${TQ_CHROOT_DIR:-/var/cache/tranquillite/chroots}"
MIRROR="${TQ_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# What a user of that release installs with apt (README, "Install in QGIS"),
# plus the test tools Debian packages. pytest-qgis and import-linter are not in
# Debian: they go into a venv made with --system-site-packages (/opt/tq-venv).
PKGS="qgis python3-qgis qgis-providers
python3-pandas python3-shapely python3-sklearn python3-matplotlib python3-phonenumbers python3-stdnum
python3-psycopg2 python3-cryptography
postgresql
python3-pytest python3-hypothesis python3-venv python3-pip
xvfb xauth poppler-utils zip make ca-certificates locales fonts-dejavu-core"
VENV_PKGS="pytest-qgis import-linter"

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

log() { echo "matrix[$SUITE]: $*" >&2; }

[ $# -ge 2 ] || usage
CMD="$1"; SUITE="$2"; shift 2
[ "${1:-}" = "--" ] && shift
case "$SUITE" in trixie|sid) ;; *) echo "unknown suite $SUITE (trixie or sid)" >&2; exit 2 ;; esac
DIR="$CACHE/$SUITE"
# The stamp names what the chroot was built with: a change of the package list
# or of this script's venv list reinstalls.
WANT="$(printf '%s\n%s\n' "$PKGS" "$VENV_PKGS" | sha256sum | cut -c1-16)"

if [ "$(id -u)" != "0" ]; then
  exec sudo -E bash "$0" "$CMD" "$SUITE" ${1:+--} "$@"
fi

# Run a command inside the chroot, in a private mount namespace: the mounts
# vanish with the process, whatever way it ends.
INNER='
set -e
dir="$1"; src="$2"; shift 2
mount -t proc proc "$dir/proc"
mount --rbind /sys "$dir/sys"
mount --rbind /dev "$dir/dev"
mount -t tmpfs -o mode=1777 shm "$dir/dev/shm" 2>/dev/null || true
cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
if [ -n "$src" ]; then
  mkdir -p "$dir/src"
  mount --bind "$src" "$dir/src"
fi
exec chroot "$dir" /usr/bin/env -i \
  HOME=/root PATH=/opt/tq-venv/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
  LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb CI="$CI" \
  QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1 \
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
  PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
  TQ_MATRIX_SUITE="$TQ_MATRIX_SUITE" \
  "$@"
'
in_chroot() {
  CI="${CI:-}" unshare --mount --propagation private bash -c "$INNER" inner "$DIR" "${TQ_BIND:-}" "$@"
}

build() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$SUITE.lock"
  flock 9
  if [ -f "$DIR/.tq-stamp" ] && [ "$(cat "$DIR/.tq-stamp")" = "$WANT" ] && [ -z "${TQ_REFRESH:-}" ]; then
    exec 9>&-  # built: let concurrent runs (other worktrees, other legs) go on
    return 0
  fi
  command -v debootstrap >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; }
  if [ ! -x "$DIR/usr/bin/apt-get" ] || [ ! -f "$DIR/.tq-base" ]; then
    log "debootstrap $SUITE into $DIR (a few minutes)"
    rm -rf "$DIR"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    debootstrap --variant=minbase --keyring="$keyring" "$SUITE" "$DIR" "$MIRROR" >"$CACHE/$SUITE.debootstrap.log" 2>&1 || {
      tail -20 "$CACHE/$SUITE.debootstrap.log" >&2; log "debootstrap failed"; return 1; }
    touch "$DIR/.tq-base"
  fi
  echo "deb $MIRROR $SUITE main" >"$DIR/etc/apt/sources.list"
  if [ "$SUITE" = sid ]; then
    # sid's Release file can be past its Valid-Until on these mirrors.
    echo 'Acquire::Check-Valid-Until "false";' >"$DIR/etc/apt/apt.conf.d/99tq-valid-until"
  fi
  echo 'APT::Install-Recommends "false";' >"$DIR/etc/apt/apt.conf.d/99tq-norecommends"
  # no services start inside the chroot during installs
  printf '#!/bin/sh\nexit 101\n' >"$DIR/usr/sbin/policy-rc.d"; chmod +x "$DIR/usr/sbin/policy-rc.d"
  # pip reaches PyPI only with the host's CA certificates and pip settings
  mkdir -p "$DIR/usr/local/share/ca-certificates" "$DIR/etc/xdg"
  cp /usr/local/share/ca-certificates/*.crt "$DIR/usr/local/share/ca-certificates/" 2>/dev/null || true
  [ -f /etc/pip.conf ] && cp /etc/pip.conf "$DIR/etc/pip.conf"
  [ -d /etc/xdg/pip ] && rm -rf "$DIR/etc/xdg/pip" && cp -r /etc/xdg/pip "$DIR/etc/xdg/pip"
  log "installing QGIS and Debian's Python packages"
  # shellcheck disable=SC2086
  TQ_BIND="" in_chroot sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get -y -q dist-upgrade && apt-get install -y -q $(echo $PKGS) && v=\$(ls /usr/lib/postgresql | sort -n | tail -1) && apt-get install -y -q postgresql-\$v-postgis-3 && apt-get clean" \
    >"$CACHE/$SUITE.apt.log" 2>&1 || { tail -30 "$CACHE/$SUITE.apt.log" >&2; log "apt failed"; return 1; }
  TQ_BIND="" in_chroot sh -c "update-ca-certificates >/dev/null 2>&1; rm -rf /opt/tq-venv && python3 -m venv --system-site-packages /opt/tq-venv && /opt/tq-venv/bin/pip install -q $VENV_PKGS" \
    >"$CACHE/$SUITE.pip.log" 2>&1 || { tail -30 "$CACHE/$SUITE.pip.log" >&2; log "venv failed"; return 1; }
  # what the plugin imports must be Debian's, not a wheel the venv pulled in
  if TQ_BIND="" in_chroot /opt/tq-venv/bin/pip list --path /opt/tq-venv/lib/python3*/site-packages 2>/dev/null \
      | grep -iE '^(numpy|pandas|shapely|scikit-learn|matplotlib|phonenumbers|python-stdnum|cryptography|psycopg2) '; then
    log "the venv shadows a Debian package"; return 1
  fi
  echo "$WANT" >"$DIR/.tq-stamp"
  exec 9>&-
  log "ready: $(TQ_BIND="" in_chroot sh -c 'qgis_process.bin --version 2>/dev/null | grep -i "^QGIS" || dpkg-query -W -f="QGIS \${Version}" qgis')"
}

export TQ_MATRIX_SUITE="$SUITE"
case "$CMD" in
  build) build ;;
  test)
    build
    [ $# -gt 0 ] || set -- -q tests
    TQ_BIND="$ROOT" in_chroot sh -c 'cd /src && exec python3 -m pytest "$@"' pytest "$@" ;;
  demo)
    build
    TQ_BIND="$ROOT" in_chroot sh -c 'cd /src && mkdir -p out/'"$SUITE"' && exec python3 -m tranquillite_plugin.demo --out out/'"$SUITE" ;;
  run)
    build
    TQ_BIND="$ROOT" in_chroot sh -c 'cd /src && exec "$@"' run "$@" ;;
  shell)
    build
    TQ_BIND="$ROOT" in_chroot sh -c 'cd /src && exec bash -i' ;;
  *) usage ;;
esac
