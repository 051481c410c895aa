#!/usr/bin/env bash
# Installs the Debian 12 packages medvault needs to build, test and benchmark.
# Idempotent: installs only what is missing, and runs `apt-get update` only when it
# has something to install. Uses sudo when not run as root.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git clang-format
  # fuzzing (libFuzzer; clang 19 is the first Debian clang whose C++23 mode reads
  # libstdc++ 12's <expected>)
  clang-19 libclang-rt-19-dev
  # libraries
  libboost1.74-dev libssl-dev openssl libsodium-dev libsqlite3-dev sqlite3
  libsimdjson-dev rapidjson-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  liboath-dev libqrencode-dev libzxcvbn-dev
  # libcurl: the drill's HTTPS transport, and the tests' client
  libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev curl wrk oathtool
  # the SQL lint (tests/lint) and the hostile-client benchmark (bench/)
  python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
