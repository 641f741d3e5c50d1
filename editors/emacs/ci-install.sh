#!/usr/bin/env bash
# Installs what the Emacs end-to-end test drives (tests/editors/test_emacs.py): Debian's
# `emacs-nox` and `elpa-eglot` and `elpa-rust-mode` (Emacs 28.2, eglot 1.9 and rust-mode 0.4.0 on Debian 12). Idempotent.
set -euo pipefail

if ! dpkg -s emacs-nox elpa-eglot elpa-rust-mode >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "editors/emacs/ci-install.sh: not root, emacs-nox, elpa-eglot, elpa-rust-mode not installed" >&2
        exit 0
    fi
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends emacs-nox elpa-eglot elpa-rust-mode >/dev/null
fi
# The LSP multiplexer that runs asm-ls beside rust-analyzer under Eglot.
python -m pip install -q 'rassumfrassum==0.3.5'
