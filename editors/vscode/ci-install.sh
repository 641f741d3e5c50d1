#!/usr/bin/env bash
# Installs everything the VS Code integration and its end-to-end test need, idempotently:
#   - Debian packages: chromium (driven by playwright-core), ripgrep, and the headers that
#     code-server's native modules build against;
#   - the extension with the server bundled for linux-x64 (scripts/bundle.py: this checkout's
#     asm-ls and its dependencies' wheels for that platform): npm ci, build, and
#     `vsce package --target linux-x64` into build/editors/vscode/asm-ls.vsix;
#   - code-server (VS Code 1.100 in a browser) and playwright-core into build/editors/vscode/.
# A second run only redoes what is missing or out of date. Run as root (apt-get) or with the
# Debian packages already present.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
ext="$repo/editors/vscode"
out="$repo/build/editors/vscode"
code_server_version=4.100.3
playwright_version=1.65.1
mkdir -p "$out"
# Native modules (code-server's, keytar) are built here, against Debian's Node headers: no
# prebuilt binaries or headers are looked for on GitHub or nodejs.org.
export npm_config_build_from_source=true
if [ -f /usr/include/node/node.h ]; then
    export npm_config_nodedir=/usr
fi

log() { printf 'ci-install(vscode): %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------
packages=(chromium ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
          build-essential python3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q -o DPkg::Lock::Timeout=600
    apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# --- code-server and playwright-core ---------------------------------------------------
installed_version() {
    node -p "require('$out/node_modules/$1/package.json').version" 2>/dev/null || true
}
if [ "$(installed_version code-server)" = "$code_server_version" ] \
   && [ -x "$out/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
   && [ "$(installed_version playwright-core)" = "$playwright_version" ]; then
    log "code-server $code_server_version and playwright-core $playwright_version present"
else
    log "installing code-server $code_server_version and playwright-core $playwright_version"
    # @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds
    # the archive: seed the cache (under a private TMPDIR) with Debian's rg.
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    seed_ripgrep_cache() {  # $1: @vscode/ripgrep version, $2: its ripgrep release tag
        mkdir -p "$tmp/vscode-ripgrep-cache-$1" "$tmp/rg"
        cp /usr/bin/rg "$tmp/rg/rg"
        tar czf "$tmp/vscode-ripgrep-cache-$1/ripgrep-$2-$(uname -m)-unknown-linux-musl.tar.gz" \
            -C "$tmp/rg" rg
    }
    # The version code-server 4.100.3's lib/vscode/npm-shrinkwrap.json pins, and its release tag.
    seed_ripgrep_cache 1.15.11 v13.0.0-10
    [ -f "$out/package.json" ] || echo '{"name": "asm-ls-vscode-e2e", "private": true}' > "$out/package.json"
    (cd "$out" && TMPDIR="$tmp" npm_config_yes=true npm_config_unsafe_perm=true \
        npm install --no-audit --no-fund --no-save \
        "code-server@$code_server_version" "playwright-core@$playwright_version")
fi
# --- the extension ---------------------------------------------------------------------
vsix="$out/asm-ls.vsix"
stamp="$out/vsix.sha256"
sources_hash="$( { (cd "$ext" && cat package.json package-lock.json tsconfig.json esbuild.mjs \
        README.md .vscodeignore scripts/bundle.py bundled/start.py $(find src -type f | sort)); \
    (cd "$repo" && cat pyproject.toml tools/build_wheel.py \
        $(find asm_ls -type f ! -path '*/__pycache__/*' ! -name '*.pyc' | sort)); } \
    | sha256sum | cut -d' ' -f1)"
if [ -f "$vsix" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sources_hash" ]; then
    log "extension up to date: $vsix"
else
    log "building the extension with the server bundled for linux-x64"
    (cd "$ext" && npm ci --no-audit --no-fund && npm run build \
        && python scripts/bundle.py --target linux-x64 --vsix "$vsix")
    echo "$sources_hash" > "$stamp"
fi

log "done: $vsix, $out/node_modules/.bin/code-server, playwright-core"
