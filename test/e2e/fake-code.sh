#!/bin/bash
# Stand-in for the VS Code executable that @vscode/test-electron's runTests({ vscodeExecutablePath })
# spawns: maps `--extensionDevelopmentPath=X --extensionTestsPath=Y [folder]` onto run-integration.mjs
# (code-server + chromium). Other switches (--no-sandbox, --user-data-dir=..., ...) do not apply and are dropped.
set -euo pipefail
DEV= TESTS= WS=()
for a in "$@"; do
  case $a in
    --extensionDevelopmentPath=*) DEV=${a#*=} ;;
    --extensionTestsPath=*) TESTS=${a#*=} ;;
    --*) ;;
    *) WS=(--workspace "$a") ;;
  esac
done
: "${DEV:?--extensionDevelopmentPath= is required}" "${TESTS:?--extensionTestsPath= is required}"
exec node "$(dirname "$0")/run-integration.mjs" --skip-build --extension "$DEV" --tests-module "$TESTS" "${WS[@]}"
