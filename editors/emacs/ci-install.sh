#!/usr/bin/env bash
# Installs what the Emacs end-to-end tests drive (tests/editors/test_emacs.py): Debian's
# emacs-nox, elpa-eglot, elpa-lsp-mode and elpa-rust-mode (Emacs 28.2, Eglot 1.9, lsp-mode 8.0.0
# and rust-mode 0.4.0 on Debian 12), and the LSP multiplexer rassumfrassum in the current Python
# environment. Idempotent: what is already there is not installed again.
set -euo pipefail

PACKAGES=(emacs-nox elpa-eglot elpa-lsp-mode elpa-rust-mode)
if ! dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            --no-install-recommends "${PACKAGES[@]}" >/dev/null
    else
        echo "editors/emacs/ci-install.sh: not root, ${PACKAGES[*]} not installed" >&2
    fi
fi
python -m pip install -q 'rassumfrassum==0.3.5'
