#!/usr/bin/env bash
# A user's install on a Debian release, checked inside its chroot: the packaged
# zip (make package) is unzipped into a fresh QGIS profile as *Install from ZIP*
# does, enabled, and used with the system Python and Debian's packages only --
# no venv, no checkout on the path, and none of the test tools the apt line of
# the README does not install (pytest, hypothesis).
#   bash scripts/matrix.sh run trixie -- bash scripts/check_user_install.sh dist/tranquillite_plugin.zip
set -euo pipefail
ZIP="$(readlink -f "$1")"
WORK="$(mktemp -d /tmp/tq-user.XXXXXX)"
export HOME="$WORK/home" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen
unset PYTHONPATH QGIS_PLUGINPATH
PLUGINS="$HOME/.local/share/QGIS/QGIS3/profiles/default/python/plugins"
mkdir -p "$PLUGINS"
python3 -c "import zipfile, sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$ZIP" "$PLUGINS"
cd "$WORK"
echo "user install: $(qgis_process.bin --version 2>/dev/null | grep '^QGIS ')"
qgis_process.bin plugins enable tranquillite_plugin >/dev/null
qgis_process.bin plugins 2>/dev/null | grep -q "tranquillite_plugin" || { echo "the plugin is not listed"; exit 1; }
qgis_process.bin list 2>/dev/null | grep -c "tranquillite:" | sed 's/^/algorithms: /'
qgis_process.bin run tranquillite:makedemocity -- N_EVENTS=200 N_FACTS=20000 OUTPUT="$WORK/city.gpkg" >/dev/null
qgis_process.bin run tranquillite:scoreevents -- EVENTS="$WORK/city.gpkg|layername=events" \
  FACTS="$WORK/city.gpkg|layername=facts" OUTPUT="$WORK/scored.gpkg" >"$WORK/score.log" 2>&1 || { cat "$WORK/score.log"; exit 1; }
# the main job, event sheet included, from the installed copy with the system Python
cd "$PLUGINS"
/usr/bin/python3 - "$WORK/out" <<'PY'
import runpy, sys
for name in ("pytest", "hypothesis", "_pytest"):
    sys.modules[name] = None  # not in the user's apt line: importing them must not be needed
out = sys.argv[1]
sys.argv = ["demo", "--out", out, "--events", "200", "--facts", "20000"]
assert not any("/src" in p or "tq-venv" in p for p in sys.path), sys.path
runpy.run_module("tranquillite_plugin.demo", run_name="__main__")
PY
for f in demo_map.png event_sheet.pdf scored_events.gpkg; do
  [ -s "$WORK/out/$f" ] || { echo "missing $f"; exit 1; }
done
echo "user install: plugin zip loaded, demo city scored, event sheet written ($(stat -c %s "$WORK/out/event_sheet.pdf") bytes)"
rm -rf "$WORK"
