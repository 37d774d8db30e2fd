#!/usr/bin/env bash
# Runs Tollgate locally: Azurite (installed from the lock file if missing, on free loopback
# ports, data under .data/), the Tollgate host against it, and the demo orchestration with live
# progress through the `tollgate` CLI. Stops everything it started, also on Ctrl-C or failure.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
source scripts/azurite.sh
HOST_PID=""
cleanup() {
  [ -n "$HOST_PID" ] && stop_process "$HOST_PID" "Tollgate host"
  azurite_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

azurite_install || exit 1
azurite_start || exit 1

echo "==> building"
dotnet build Functions.sln -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1

host_log="$AZURITE_DIR/host.log"
AzureWebJobsStorage="$AZURITE_CONNECTION_STRING" \
  dotnet src/Tollgate.Host/bin/Release/net10.0/Tollgate.Host.dll --urls http://127.0.0.1:0 --contentRoot "$REPO" >"$host_log" 2>&1 &
HOST_PID=$!
endpoint=""
for _ in $(seq 1 300); do
  endpoint=$(sed -n 's/.*Now listening on: \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$host_log" | head -n 1)
  [ -n "$endpoint" ] && break
  kill -0 "$HOST_PID" 2>/dev/null || { echo "The host exited:"; cat "$host_log"; exit 1; }
  sleep 0.1
done
[ -n "$endpoint" ] || { echo "The host did not start listening within 30 s:"; cat "$host_log"; exit 1; }
echo "==> Tollgate host at $endpoint (log: ${host_log#$REPO/})"

# The host listens before it has created the task hub in storage; health says FAIL until then.
for _ in $(seq 1 300); do
  command -v curl >/dev/null || { sleep 3; break; }
  curl -s "$endpoint/api/health" | grep -q '"status":"FAIL"' || break
  sleep 0.2
done

tollgate() { dotnet src/Tollgate.Cli/bin/Release/net10.0/tollgate.dll --endpoint "$endpoint" "$@"; }

if command -v curl >/dev/null; then
  echo "==> health"
  curl -sS "$endpoint/api/health"; echo
fi
echo "==> running the EngineTour orchestration"
tollgate start EngineTour --input '{"subject":"tollgate","steps":5,"fanOut":50,"timerSeconds":2}' --wait
status=$?
echo "==> instances"
tollgate list
exit $status
