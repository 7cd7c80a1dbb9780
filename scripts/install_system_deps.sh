#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs (QGIS 3.22 LTR, PostGIS,
# Xvfb, Qt translation tools, poppler). Does nothing when they are present.
set -euo pipefail
PKGS="python3-qgis qgis-providers qgis xvfb python3-venv python3-psycopg2
postgresql-15-postgis-3 poppler-utils qttools5-dev-tools pyqt5-dev-tools zip
libgeos-dev python3-dev gcc"
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
