#!/usr/bin/env bash
# Make sure the OS packages in scripts/os-packages.txt are installed.
# As root: installs the missing ones with apt-get. Otherwise: prints the exact
# command to run and exits 1, so `make start` / `make test` stop with a clear message.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="${1:-$here/os-packages.txt}"
mapfile -t wanted < <(grep -v -E '^\s*(#|$)' "$list")
missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Λείπουν πακέτα του συστήματος / Missing system packages: ${missing[*]}" >&2
    echo "This is not a Debian/Ubuntu system: install them with your package manager." >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Λείπουν πακέτα του συστήματος / Missing system packages: ${missing[*]}" >&2
    echo "Run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
