#!/usr/bin/env bash
# Copies the VS Code extension into BUILD_DIR/editors/vscode and installs its npm packages there
# (`npm ci`, again only when package-lock.json changes), so node_modules never lands in the source
# tree. With --package it then builds BUILD_DIR/editors/vscode/camp.vsix with vsce, offline.
# usage: editors/vscode/build.sh BUILD_DIR [--package]
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out="${1:?usage: build.sh BUILD_DIR [--package]}/editors/vscode"
mkdir -p "$out"
(cd "$src" && tar --exclude=node_modules --exclude='*.vsix' -cf - .) | (cd "$out" && tar -xf -)
stamp="$out/node_modules/.camp-package-lock.json"
if ! cmp -s "$src/package-lock.json" "$stamp"; then
  (cd "$out" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$src/package-lock.json" "$stamp"
fi
if [[ "${2:-}" == --package ]]; then
  rm -f "$out/camp.vsix"
  (cd "$out" && npx --offline --no-install vsce package --allow-missing-repository --skip-license --out camp.vsix)
fi
