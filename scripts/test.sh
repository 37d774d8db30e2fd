#!/usr/bin/env bash
# Runs every test: installs Azurite from the lock file if missing, starts one Azurite for the
# whole run (tests read its connection string from TOLLGATE_TEST_STORAGE), runs the solution's
# tests, stops Azurite, and closes with one line: "tests: N passed, N failed, N skipped".
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
source scripts/azurite.sh
trap azurite_stop EXIT

# The Prometheus metric source's tests query a real Prometheus (Debian's package); they fail, never skip, without it.
# The package enables and starts a service on install: nothing here runs one (the tests start their own, and there
# may be no systemd), so a policy-rc.d that denies every start is put in place for the install unless one is there.
prometheus_install() {
  command -v prometheus >/dev/null && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "prometheus is missing and installing it needs root or sudo: apt-get install prometheus" >&2; return 1; }
    sudo="sudo"
  fi
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added=1
  fi
  echo "==> installing prometheus"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus
  local status=$?
  [ -n "$added" ] && $sudo rm -f "$policy"
  if [ "$status" -ne 0 ] || ! command -v prometheus >/dev/null; then
    echo "could not install prometheus (apt-get exit $status)" >&2
    return 1
  fi
}

prometheus_install || exit 1
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
