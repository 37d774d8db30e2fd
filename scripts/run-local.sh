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
[ $status -eq 0 ] || exit $status
echo "==> instances"
tollgate list

# The audit ledger: record release evidence through the host, then verify the whole ledger the way an
# auditor would, from storage and from an offline export, and prove one entry.
demo="$AZURITE_DIR/demo"
rm -rf "$demo"; mkdir -p "$demo/release"
printf 'v0.3.0\n' > "$demo/release/VERSION"
printf 'tollgate release payload\n' > "$demo/release/payload.txt"
tar -czf "$demo/tollgate-release-v0.3.0.tar.gz" -C "$demo/release" VERSION payload.txt
(cd "$demo" && sha256sum tollgate-release-v0.3.0.tar.gz > tollgate-release-v0.3.0.tar.gz.sha256)
echo "==> release evidence (seed 003), each result recorded in the ledger"
tollgate evidence release-verify --bundle "$demo/tollgate-release-v0.3.0.tar.gz" --checksum "$demo/tollgate-release-v0.3.0.tar.gz.sha256" --expect-version v0.3.0 || exit 1
tollgate evidence wal-recovery --evidence-file samples/evidence/wal_recovery_result.env --max-rto-seconds 10 --max-rpo-events 0 || exit 1
tollgate evidence rollback-drill --evidence-file samples/evidence/deploy_rollback_result.env --max-rollback-seconds 180 || exit 1
echo "==> a failing drill is recorded too (rollback took 72 s; the limit here is 60 s)"
tollgate evidence rollback-drill --evidence-file samples/evidence/deploy_rollback_result.env --max-rollback-seconds 60
[ $? -eq 1 ] || { echo "expected the drill check to fail"; exit 1; }
if command -v curl >/dev/null; then
  echo "==> the latest signed checkpoint (GET /api/ledger/checkpoint)"
  curl -sS "$endpoint/api/ledger/checkpoint"
fi
echo "==> a replay bundle: the release's checksum file and its ledger entries with inclusion proofs, sealed and recorded"
bundle_out=$(tollgate bundle create --event-ref release-v0.3.0 --environment Paper \
  --member "other=$demo/tollgate-release-v0.3.0.tar.gz.sha256" --ledger-index 0 --ledger-index 1) || { echo "$bundle_out"; exit 1; }
echo "$bundle_out"
bundle=$(echo "$bundle_out" | sed -n 's/^sealed bundle \([0-9a-f]\{64\}\).*/\1/p')
tollgate bundle verify "$bundle" --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger verify (from storage)"
tollgate ledger verify --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger prove 0"
tollgate ledger prove 0 --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger export, then verify the copy offline"
tollgate ledger export "$demo/ledger-export" --storage "$AZURITE_CONNECTION_STRING" || exit 1
tollgate ledger verify --dir "$demo/ledger-export" --key "@$demo/ledger-export/verifier-key.txt" || exit 1
exit 0
