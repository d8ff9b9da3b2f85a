#!/usr/bin/env bash
# Regenerates the README screenshots from a fresh demo database, in the light and the dark palette.
# Needs a display; without one it runs itself under xvfb-run. Usage: bash scripts/screenshots.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${TB_BIN:-$ROOT/build/dev/src/app/threadbench}"
OUT="$ROOT/docs/screenshots"

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    exec xvfb-run -a -s "-screen 0 1400x1000x24" bash "$0" "$@"
fi
[[ -x "$BIN" ]] || { echo "screenshots.sh: build first (bash scripts/run.sh or cmake --build --preset dev)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
# Show the branch tree dock in the pictures.
mkdir -p "$XDG_CONFIG_HOME/Threadbench"
printf '[window]\nbranchTree=true\n' > "$XDG_CONFIG_HOME/Threadbench/threadbench.conf"
"$BIN" demo "$work/demo.db" >/dev/null
# A live turn from the demo model, so the pictures show a run stored by the workbench itself.
"$BIN" run "$work/demo.db" cust-hiro-145 "Thanks. Is ORD-123 on its way too?" --branch what-if-5 >/dev/null 2>&1
mkdir -p "$OUT"
"$BIN" "$work/demo.db" --session-id cust-hiro-145 --branch what-if-5 --size 1280x900 --palette light --screenshot "$OUT/workbench-light.png"
"$BIN" "$work/demo.db" --session-id cust-hiro-145 --size 1280x900 --palette dark --screenshot "$OUT/workbench-dark.png"
# The usage charts dock beside the conversation (Session → Usage Charts, Ctrl+U).
printf '[window]\nbranchTree=true\nusageCharts=true\n' > "$XDG_CONFIG_HOME/Threadbench/threadbench.conf"
"$BIN" "$work/demo.db" --session-id cust-hiro-145 --branch what-if-5 --size 1600x950 --palette light --screenshot "$OUT/workbench-usage-light.png"
echo "Wrote $OUT/workbench-light.png, $OUT/workbench-dark.png and $OUT/workbench-usage-light.png"
