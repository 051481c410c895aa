#!/usr/bin/env bash
# Installs the Debian 12 packages medvault needs to build, test and benchmark, and the
# web application's npm packages (from web/package-lock.json).
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
  # the release binary's allocator (CMakeLists.txt: MEDVAULT_JEMALLOC)
  libjemalloc-dev
  # the PostgreSQL store engine (libpq), and the server its tests start in a temporary
  # directory (initdb, pg_ctl in /usr/lib/postgresql/15/bin; no system service is used)
  libpq-dev postgresql
  # libcurl: the drill's HTTPS transport, and the tests' client
  libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev curl wrk oathtool
  # the web application's end-to-end test drives Debian's browser (none is downloaded)
  chromium
  # the SQL lint (tests/lint) and the hostile-client benchmark (bench/)
  python3
)
# Node.js and npm build the web application. A machine whose node comes from elsewhere
# (NodeSource ships npm inside its nodejs) keeps it: Debian's npm is added only when
# there is no npm at all.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# web/node_modules from the lock file, when it is missing or older than the lock.
install_web_packages() {
  local web
  web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web"
  if [[ ! -d $web/node_modules || $web/package-lock.json -nt $web/node_modules ]]; then
    echo "setup: npm ci in web/"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
}

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  install_web_packages
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
install_web_packages
