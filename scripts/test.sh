#!/usr/bin/env bash
# Configure, build and test everything the way CI does (the `ci` preset: warnings as errors,
# tests and benchmarks on), then print "N passed, N failed" and exit with ctest's status.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install-deps.sh

export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
mkdir -p "$CCACHE_DIR"

cmake --preset ci
cmake --build --preset ci

log="$ROOT/build/ci/ctest-output.log"
set +e
ctest --preset ci 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# ctest's summary: "95% tests passed, 1 tests failed out of 20".
passed=0
failed=0
summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=${BASH_REMATCH[1]}
    passed=$((BASH_REMATCH[2] - failed))
elif [[ $rc -ne 0 ]]; then
    echo "test.sh: ctest exited with $rc and printed no summary" >&2
fi

echo "$passed passed, $failed failed"
exit "$rc"
