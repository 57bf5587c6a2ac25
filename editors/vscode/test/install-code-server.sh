#!/bin/sh
# Installs code-server (VS Code in a browser) from npm for the end-to-end test, on a
# machine whose network reaches the package registries only:
#   - Debian's packages: Chromium, and the headers code-server's native modules build
#     against (kerberos, libsecret, X11 keyboard files) and ripgrep;
#   - @vscode/ripgrep's install step downloads rg from GitHub: it is handed Debian's rg
#     instead, in the cache that step looks in first;
#   - the native modules build against the installed Node's headers (/usr/include/node),
#     with no headers download; node-pty runs `npx node-gyp`, allowed without asking.
# Node 20 is what code-server 4.100 asks for (later ones ask for 22 or 24).
#
#   editors/vscode/test/install-code-server.sh [PREFIX]   (default ~/.cache/code-server)
set -eu
prefix=${1:-$HOME/.cache/code-server}
version=4.100.3

if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
$sudo apt-get install -y chromium libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev ripgrep

rg_cache=${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11
mkdir -p "$rg_cache"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

mkdir -p "$prefix"
cd "$prefix"
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=${NODEDIR:-/usr} \
  npm install --no-audit --no-fund "code-server@$version"
"$prefix/node_modules/.bin/code-server" --version
