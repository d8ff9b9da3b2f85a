#!/usr/bin/env bash
# Build and start Threadbench:  scripts/run.sh [threadbench arguments...]
# Builds in build/dev (the `dev` preset). Without a display the app runs under a virtual X server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/build/dev/src/app/threadbench"

# Build from the repo root, but launch from the caller's directory so relative file arguments work.
(
    cd "$ROOT"
    bash scripts/install-deps.sh
    cmake --preset dev
    cmake --build --preset dev --target threadbench
)

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    if ! command -v xvfb-run >/dev/null 2>&1; then
        echo "run.sh: no DISPLAY or WAYLAND_DISPLAY and xvfb-run is not installed" >&2
        exit 1
    fi
    echo "run.sh: no DISPLAY or WAYLAND_DISPLAY set; running under xvfb-run -a (the window will not be visible)" >&2
    exec xvfb-run -a "$BIN" "$@"
fi
exec "$BIN" "$@"
