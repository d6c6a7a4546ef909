#!/bin/bash
# Validates `camp lint --format sarif` against the SARIF 2.1.0 schema and rules with Microsoft's
# SARIF Multitool (npm @microsoft/sarif-multitool, verb `validate`).
# usage: validate_sarif.sh CAMP DATA_DIR CACHE_DIR
# The validator is installed with npm into CACHE_DIR (in the build tree) on first use. Without
# node/npm, or offline, the test is skipped (exit 77) — except under CI=true, where it fails.
set -u
CAMP=$1 DATA=$2 CACHE=$3
VERSION=5.7.0

skip_or_fail() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL: $1 (CI must run this test)"; exit 1; fi
  echo "SKIP: $1"; exit 77
}

command -v node >/dev/null && command -v npm >/dev/null || skip_or_fail "node and npm are not installed"
TOOL=$CACHE/node_modules/.bin/sarif-multitool
if [ ! -x "$TOOL" ]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$VERSION" \
    > "$CACHE/npm-install.log" 2>&1 || skip_or_fail "npm could not install @microsoft/sarif-multitool (see $CACHE/npm-install.log)"
fi
# npm may not run the package's postinstall (which only marks the binary executable).
find "$CACHE/node_modules/@microsoft" -name Sarif.Multitool -type f -exec chmod u+x {} + 2>/dev/null

# The Multitool is a self-contained .NET program: without ICU installed it must be told not to need it.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0

# validate FILE EXPECT: EXPECT is "valid" or "invalid"; the Multitool exits 0 either way, so its
# report is read: a line "file(l,c): error CODE: …" is a schema or rule violation.
validate() {
  local out
  out=$("$TOOL" validate "$1" 2>&1)
  local rc=$?
  if [ $rc -ne 0 ] && ! grep -q ": error " <<<"$out"; then
    echo "FAIL: the validator itself failed on $1 (exit $rc):"; echo "$out"; failed=1; return
  fi
  if grep -q ": error " <<<"$out"; then
    if [ "$2" = valid ]; then echo "FAIL: $1 is not valid SARIF 2.1.0:"; grep ": error " <<<"$out"; failed=1;
    else echo "ok: $1 rejected as expected"; fi
  else
    if [ "$2" = invalid ]; then echo "FAIL: the validator accepted the broken log $1"; failed=1;
    else echo "ok: $1 is valid SARIF 2.1.0"; fi
  fi
}

cd "$DATA/lint" || exit 1
"$CAMP" lint many_rules.camp --format sarif > "$WORK/many.sarif"
[ $? -eq 0 ] || { echo "FAIL: lint of many_rules.camp should exit 0 (warnings and notes only)"; failed=1; }
grep -q '"ruleId": "volume-cliff"' "$WORK/many.sarif" || { echo "FAIL: no volume-cliff result"; failed=1; }
validate "$WORK/many.sarif" valid

"$CAMP" lint clean.camp --format sarif > "$WORK/clean.sarif" || { echo "FAIL: clean.camp should lint clean"; failed=1; }
validate "$WORK/clean.sarif" valid

# A model that does not compile: compile-error results.
printf 'currency USD\nlet x = 1 h + 1 USD\n' > "$WORK/broken.camp"
"$CAMP" lint "$WORK/broken.camp" --format sarif > "$WORK/broken.sarif"
validate "$WORK/broken.sarif" valid

# Negative control: the validator must reject a log that breaks the schema (ruleId not a string,
# message without text), so a pass above means something.
sed -e 's/"ruleId": "volume-cliff"/"ruleId": 17/' -e '0,/"message": {"text": [^}]*}/s//"message": {}/' \
  "$WORK/many.sarif" > "$WORK/broken-log.sarif"
validate "$WORK/broken-log.sarif" invalid

exit $failed
