#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine; quick when everything is there.
# apt: compilers, Emscripten, Eigen, nlohmann-json, CLI11 (the CLI), GoogleTest, Chromium (browser tests).
# --engines also: Firefox ESR, WebKitGTK's WebDriver with its MiniBrowser, Xvfb (its display) and
# locales (tests/engines/; en_US.UTF-8 is generated when missing).
# npm: the locked JavaScript dependencies (npm ci).
# --python also installs PyTorch for python/ (python3-torch, python3-numpy and OpenBLAS, without
# which Debian's torch multiplies matrices with the reference BLAS, about 3x slower): about 170
# packages, so ./test.sh asks for it and ./run.sh does not.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(cmake g++ make emscripten libeigen3-dev nlohmann-json3-dev libcli11-dev googletest libgtest-dev chromium)
engines=false
for arg in "$@"; do
  case "$arg" in
    --python) apt_packages+=(python3-torch python3-numpy libopenblas0-pthread) ;;
    --engines) engines=true; apt_packages+=(firefox-esr webkit2gtk-driver xvfb locales) ;;
    *) echo "setup.sh: unknown option '$arg' (--python, --engines)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# WebKit takes its default locale from the process: without one it is C, which its Intl refuses.
if $engines && ! locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo sed -i 's/^# *\(en_US\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^en_US\.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen >/dev/null
fi

# npm ci only when the lock file is newer than the installed tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
