#!/usr/bin/env bash
# Re-extracts every tr() string of the plugin into i18n/tranquillite_fr.ts (pylupdate5,
# plus the Processing algorithms' DISPLAY/GROUP_DISPLAY/HELP), keeps the translations
# already made, and compiles the .qm (lrelease). Then lists what is left to translate.
#   bash scripts/update_translations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
"$PY" scripts/i18n_tools.py update
TS=tranquillite_plugin/i18n/tranquillite_fr.ts
LRELEASE=$(command -v lrelease || echo /usr/lib/qt5/bin/lrelease)
"$LRELEASE" -silent "$TS" -qm "${TS%.ts}.qm"
if ! "$PY" scripts/i18n_tools.py check >/tmp/tranquillite_untranslated.txt 2>/dev/null; then
  echo "Untranslated strings ($(wc -l </tmp/tranquillite_untranslated.txt)): translate them in $TS (Qt Linguist, or"
  echo "  $PY scripts/i18n_tools.py dump-unfinished > todo.json; edit; $PY scripts/i18n_tools.py fill todo.json)"
  head -20 /tmp/tranquillite_untranslated.txt
fi
