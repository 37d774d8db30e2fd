#!/usr/bin/env bash
# Runs every test: installs Azurite from the lock file if missing, starts one Azurite for the
# whole run (tests read its connection string from TOLLGATE_TEST_STORAGE), runs the solution's
# tests, stops Azurite, and closes with one line: "tests: N passed, N failed, N skipped".
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
source scripts/azurite.sh
trap azurite_stop EXIT

azurite_install || exit 1
azurite_start || exit 1
export TOLLGATE_TEST_STORAGE="$AZURITE_CONNECTION_STRING"

echo "==> building"
dotnet build Functions.sln -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1

log="$REPO/.data/test-$$.log"
echo "==> testing"
dotnet test Functions.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\),.*/\1 \2 \3/p' "$log")
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit "$status"
