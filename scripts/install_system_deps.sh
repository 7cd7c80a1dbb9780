#!/usr/bin/env bash
# Installs the Debian packages the project needs on the host (QGIS from the
# release: 3.22 LTR on Debian 12, 3.40 on Debian 13; PostgreSQL with PostGIS,
# Xvfb, Qt translation tools, poppler, what building shapely against Debian's
# GEOS needs, debootstrap for the QGIS matrix). Does nothing when they are present.
set -euo pipefail
. /etc/os-release 2>/dev/null || true
# PostgreSQL's major version is the release's default: 15 on Debian 12, 17 on 13.
case "${VERSION_ID:-}" in
  12) PG=15 ;;
  13) PG=17 ;;
  *) PG="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"; PG="${PG:-17}" ;;
esac
PKGS="python3-qgis qgis-providers qgis xvfb xauth python3-venv python3-psycopg2 python3-cryptography
postgresql-$PG-postgis-3 poppler-utils qttools5-dev-tools pyqt5-dev-tools zip
libgeos-dev python3-dev gcc pkg-config debootstrap"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  exit 0
fi
echo "installing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q $missing
