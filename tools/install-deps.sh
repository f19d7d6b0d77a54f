#!/usr/bin/env bash
# Installs every Debian package bitexact's build, tests and benchmarks need.
# Idempotent: packages already present are skipped, so a second run is a no-op. Arguments name
# extra packages for optional targets (`make fuzz` passes clang's).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libmpfr-dev libgmp-dev libboost-dev
  doctest-dev libfmt-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev
  libbenchmark-dev libssl-dev
  verilator yosys
  chromium  # tests: the explore report rendered headless (tools_cli_explore)
)
# Extra packages named on the command line (make fuzz: clang-14 libclang-rt-14-dev libomp-14-dev).
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present" >&2
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
