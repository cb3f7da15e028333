#!/usr/bin/env bash
# The one list of Debian packages arraycast needs to build, test and benchmark.
# Installs only what is missing, so a second run is quick and offline.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang libclang-rt-14-dev git
  libboost1.81-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev openssl           # TLS (wss://, https://); tests make their certificates with openssl
  libnats-dev nats-server pkgconf  # several nodes sharing one stream through NATS JetStream
  libjwt-dev                   # --auth: JSON Web Tokens
  python3 python3-websockets python3-pytest
  python3-numpy                # clients/python: its numpy=True path is tested too
  gnuplot-nox linux-perf
  help2man dpkg-dev             # the .deb (cpack -G DEB): its man page, its Depends (dpkg-shlibdeps)
  chromium                     # the dashboard's browser test (tests/interop), driven by playwright-core
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The dashboard is bundled with npm packages (web/package-lock.json); Node.js
# and npm come with the machine, not from this list.
command -v npm >/dev/null || { echo "deps.sh: npm (Node.js 20) is needed to build the dashboard" >&2; exit 1; }
