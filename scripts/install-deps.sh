#!/usr/bin/env bash
# Installs Threadbench's build, test and packaging dependencies on Debian 12 (bookworm).
# Idempotent: asks dpkg which packages are missing and runs apt-get only when something is.
# Set TB_SKIP_DEPS=1 to skip this step (e.g. on a distribution where you manage packages yourself).
set -euo pipefail

PACKAGES=(
    cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6svg6 qtkeychain-qt6-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    xvfb xauth desktop-file-utils appstream clang-format fonts-dejavu-core
)

if [[ "${TB_SKIP_DEPS:-0}" == "1" ]]; then
    echo "install-deps: TB_SKIP_DEPS=1, not checking system packages"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: not a Debian system; install these (or equivalents) yourself:" >&2
    echo "  ${PACKAGES[*]}" >&2
    exit 0
fi

if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    . /etc/os-release
    if [[ "${ID:-}" != "debian" || "${VERSION_ID:-}" != "12" ]]; then
        echo "install-deps: written for Debian 12, this is ${PRETTY_NAME:-unknown}; trying anyway" >&2
    fi
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps: missing packages: ${missing[*]}" >&2
        echo "install-deps: not root and no sudo available; install them as root and re-run" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
