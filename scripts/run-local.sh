#!/usr/bin/env bash
# Runs Tollgate locally: Azurite (installed from the lock file if missing, on free loopback
# ports, data under .data/), the Tollgate host against it, and the demo orchestration with live
# progress through the `tollgate` CLI. Stops everything it started, also on Ctrl-C or failure.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
source scripts/azurite.sh
HOST_PID=""
EXCHANGE_PID=""
cleanup() {
  [ -n "$HOST_PID" ] && stop_process "$HOST_PID" "Tollgate host"
  [ -n "$EXCHANGE_PID" ] && stop_process "$EXCHANGE_PID" "fake exchange"
  azurite_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

azurite_install || exit 1
azurite_start || exit 1

# Local tokens are signed with Tollgate:Auth:LocalSigningKey from local.settings.json (git-ignored): make one with a
# fresh random key the first time, from the sample; never overwrite a key that is there.
if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "==> created local.settings.json (git-ignored) with a fresh local token key"
fi
if grep -q '"Tollgate:Auth:LocalSigningKey": ""' local.settings.json; then
  key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
  sed -i "s#\"Tollgate:Auth:LocalSigningKey\": \"\"#\"Tollgate:Auth:LocalSigningKey\": \"$key\"#" local.settings.json
fi

echo "==> building"
dotnet build Functions.sln -c Release -nologo -v quiet -clp:ErrorsOnly || exit 1

# Waits for "Now listening on: http://127.0.0.1:PORT" in a process's log and prints the address.
listening_address() {
  local log=$1 pid=$2 name=$3 address=""
  for _ in $(seq 1 300); do
    address=$(sed -n 's/.*Now listening on: \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$address" ] && { echo "$address"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "$name exited:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "$name did not start listening within 30 s:" >&2; cat "$log" >&2
  return 1
}

# The market plane needs an exchange: with no internet here, the loopback fake exchange (Binance's REST and
# WebSocket formats, a simulated market) stands in for Binance.
exchange_log="$AZURITE_DIR/exchange.log"
dotnet tests/Tollgate.FakeExchange/bin/Release/net10.0/Tollgate.FakeExchange.dll --urls http://127.0.0.1:0 --symbols BTCUSDT,ETHUSDT --gap-every-seconds 5 >"$exchange_log" 2>&1 &
EXCHANGE_PID=$!
exchange=$(listening_address "$exchange_log" "$EXCHANGE_PID" "The fake exchange") || exit 1
echo "==> fake exchange (Binance formats) at $exchange"
captures="$AZURITE_DIR/captures"

host_log="$AZURITE_DIR/host.log"
# The release signing key (Sign/Hash stage): a fresh ECDSA P-256 key for this run, handed to the host as the secret
# "release-signing-key" (in Azure it is a Key Vault secret). Never written to disk or printed.
release_key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER 2>/dev/null | base64 -w0)
[ -n "$release_key" ] || { echo "openssl could not make a release signing key"; exit 1; }
AzureWebJobsStorage="$AZURITE_CONNECTION_STRING" \
  Tollgate__Markets__Instruments="SPOT:BTCUSDT,SPOT:ETHUSDT,FUT:BTCUSDT" \
  Tollgate__Markets__SpotRestUrl="$exchange" Tollgate__Markets__FuturesRestUrl="$exchange" \
  Tollgate__Markets__SpotStreamUrl="${exchange/http/ws}" Tollgate__Markets__FuturesStreamUrl="${exchange/http/ws}/futures" \
  Tollgate__Markets__CaptureFolder="$captures" \
  Tollgate__Execution__Environment=Paper \
  env "release-signing-key=$release_key" dotnet src/Tollgate.Host/bin/Release/net10.0/Tollgate.Host.dll --urls http://127.0.0.1:0 --contentRoot "$REPO" >"$host_log" 2>&1 &
HOST_PID=$!
endpoint=$(listening_address "$host_log" "$HOST_PID" "The host") || exit 1
echo "==> Tollgate host at $endpoint (log: ${host_log#$REPO/})"

# The host listens before it has created the task hub in storage; health says FAIL until then.
for _ in $(seq 1 300); do
  command -v curl >/dev/null || { sleep 3; break; }
  curl -s "$endpoint/api/health" | grep -q '"status":"FAIL"' || break
  sleep 0.2
done

cli() { dotnet src/Tollgate.Cli/bin/Release/net10.0/tollgate.dll "$@"; }
# One identity per role, as people and CI would have; each command below says whose token it uses.
token() { cli auth token --settings local.settings.json --subject "$1" "${@:2}" || exit 1; }
OPERATOR=$(token olivia.operator --role Operator --name "Olivia (Operator)")
TRADER=$(token tariq.trader --role Trader --name "Tariq (Trader)")
PIPELINE=$(token ci-pipeline --role Pipeline --name "CI pipeline")
AUDITOR=$(token aiko.auditor --role Auditor --name "Aiko (Auditor)")
DUAL=$(token sam.dual --role Operator --role Trader --name "Sam (Operator and Trader)")
as() { local who=$1; shift; TOLLGATE_TOKEN="$who" cli --endpoint "$endpoint" "$@"; }
tollgate() { as "$OPERATOR" "$@"; }

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
echo "==> release evidence (seed 003), recorded by CI in the ledger"
as "$PIPELINE" evidence release-verify --bundle "$demo/tollgate-release-v0.3.0.tar.gz" --checksum "$demo/tollgate-release-v0.3.0.tar.gz.sha256" --expect-version v0.3.0 || exit 1
as "$PIPELINE" evidence wal-recovery --evidence-file samples/evidence/wal_recovery_result.env --max-rto-seconds 10 --max-rpo-events 0 || exit 1
as "$PIPELINE" evidence rollback-drill --evidence-file samples/evidence/deploy_rollback_result.env --max-rollback-seconds 180 || exit 1
echo "==> a failing drill is recorded too (rollback took 72 s; the limit here is 60 s)"
as "$PIPELINE" evidence rollback-drill --evidence-file samples/evidence/deploy_rollback_result.env --max-rollback-seconds 60
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
# Governance (issue 4): who may do what, the Active Version Map, release gates, two-step four-eyes approvals, the kill switch.
echo "==> identities: one token per role (tollgate auth token); the host says who each is"
for who in "$OPERATOR" "$TRADER" "$PIPELINE" "$AUDITOR"; do as "$who" auth whoami | head -n 1; done
echo "==> CI stores the release's rulebook snapshot and policy, then registers its version map for Paper"
printf 'rulebook v7: max_qty 5 BTC, collar 50 bps, no orders on RED health\n' > "$demo/rulebook-v7.txt"
printf 'policy v12: risk limits and veto reason codes\n' > "$demo/policy-v12.txt"
rulebook=$(as "$PIPELINE" object put "$demo/rulebook-v7.txt") || exit 1
policy=$(as "$PIPELINE" object put "$demo/policy-v12.txt") || exit 1
register() {
  as "$PIPELINE" vmap register --env "$1" --docs docs-2026.12 --policy policy-v12 --model model-3 --config "$2" --code "$3" \
    --rulebook "$rulebook" --artifact "policy=policy-v12=$policy" "${@:4}" --json | sed -n 's/.*"id": "\(vm-[0-9a-f]*\)".*/\1/p' | head -n 1
}
# The Paper map's config is the strategy's rule set: linted against the instruments the host routes, its rev is the
# config version, and the rules themselves are the map's "rules" artifact. The order path trades what the active map names.
cp samples/strategy/tight-spread.json "$demo/rules.json"
echo "==> CI lints the strategy's rule set (tollgate rules lint): its rev is the config version the map names"
lint=$(as "$PIPELINE" rules lint "$demo/rules.json") || { echo "$lint"; exit 1; }
echo "$lint"
rules_rev=$(echo "$lint" | head -n 1)
rules_digest=$(as "$PIPELINE" object put "$demo/rules.json") || exit 1
map_paper=$(register Paper "$rules_rev" c0ffee41 --artifact "rules=$rules_rev=$rules_digest")
map_sim_1=$(register Simulation cfg-40 c0ffee40)
map_sim_2=$(register Simulation cfg-41 c0ffee41)
[ -n "$map_paper" ] && [ -n "$map_sim_1" ] && [ -n "$map_sim_2" ] || { echo "registering the version maps failed"; exit 1; }
echo "registered $map_paper (Paper), $map_sim_1 and $map_sim_2 (Simulation)"
echo "==> Paper has no Active Version Map yet, which blocks (seed 000 §3.1)"
tollgate vmap show --env Paper
[ $? -eq 2 ] || { echo "expected VMAP_MISSING"; exit 1; }
echo "==> CI evaluates all four release gates for the release (checks whose subsystem is not built say NOT_EVALUABLE, never PASS)"
printf '[{"doc_key":"DEPLOY_OPS","version":"2025-12-19","status":"ACTIVE"},{"doc_key":"RISK_COMPLIANCE","version":"v3","status":"ACTIVE"}]\n' > "$demo/document-index.json"
printf '[{"code":"RISK_MAX_QTY","description":"order quantity above the policy maximum"},{"code":"RISK_COLLAR","description":"price outside the collar"}]\n' > "$demo/veto-codes.json"
as "$PIPELINE" gate evaluate all --env Paper --release release-c0ffee41 --map "$map_paper" \
  --document-index "$demo/document-index.json" --veto-codes "$demo/veto-codes.json"
echo "(exit $? : EXECUTION_CONTROL now looks at the Paper order path this host runs: channel health, idempotency, the startup reconciliation; the verdict is not PASS while UI_SPEC has checks that cannot be evaluated yet)"
echo "==> the gates' RETURN blocks approving that release"
gated=$(as "$OPERATOR" approval request --kind ACTIVATE_VERSION_MAP --env Paper --reference "$map_paper" --release release-c0ffee41 --reason "activate release c0ffee41" | cut -d' ' -f1)
as "$TRADER" approval approve "$gated"
[ $? -eq 2 ] || { echo "expected APPROVAL_BLOCKED_BY_GATE"; exit 1; }
as "$OPERATOR" approval withdraw "$gated" --reason "gates returned it" >/dev/null || exit 1
echo "==> an Operator asks to activate the map on Paper (live-grade: needs a Trader's two-step approval)"
approval=$(as "$OPERATOR" approval request --kind ACTIVATE_VERSION_MAP --env Paper --reference "$map_paper" --reason "rules $rules_rev for the paper session" | cut -d' ' -f1)
echo "requested $approval"
echo "==> four-eyes: someone who requested cannot approve, even with the Trader role"
dual=$(as "$DUAL" approval request --kind ACTIVATE_VERSION_MAP --env Paper --reference "$map_paper" --reason "self-service" | cut -d' ' -f1)
as "$DUAL" approval approve "$dual"
[ $? -eq 2 ] || { echo "expected APPROVAL_FOUR_EYES"; exit 1; }
echo "==> an Operator cannot approve at all (the Trader alone decides)"
as "$OPERATOR" approval approve "$approval"
[ $? -eq 2 ] || { echo "expected AUTH_ROLE_DENIED"; exit 1; }
echo "==> the Trader approves (step one prints a one-time challenge) and confirms with it (step two)"
challenge=$(as "$TRADER" approval approve "$approval" | sed -n 's/^challenge \([^ ]*\).*/\1/p')
[ -n "$challenge" ] || { echo "no challenge"; exit 1; }
as "$TRADER" approval confirm "$approval" --challenge "$challenge" || exit 1
echo "==> the same challenge again is refused"
as "$TRADER" approval confirm "$approval" --challenge "$challenge"
[ $? -eq 2 ] || { echo "expected APPROVAL_CHALLENGE_USED"; exit 1; }
echo "==> the Operator activates the map on Paper with the approval"
tollgate vmap activate --env Paper --map "$map_paper" --reason "rules $rules_rev for the paper session" --approval "$approval" --expect-from none || exit 1
tollgate vmap show --env Paper || exit 1
echo "==> the order path picks up the rules of the map now active on Paper and trades on the Paper channel"
sleep 8
tollgate execution status || exit 1
echo "==> Simulation (standard governance): activate, activate the next, then roll back — a pointer switch, nothing overwritten"
tollgate vmap activate --env Simulation --map "$map_sim_1" --reason "baseline" >/dev/null || exit 1
tollgate vmap activate --env Simulation --map "$map_sim_2" --reason "config 41" >/dev/null || exit 1
tollgate vmap rollback --env Simulation --reason "fill rate fell in simulation" || exit 1
tollgate vmap history --env Simulation || exit 1
echo "==> the kill switch: an Operator stops Paper (every host blocks new orders at once: docs/GOVERNANCE.md §6)"
tollgate kill on --env Paper --reason "drill: stop the line" --code EXE-KILL-DRILL || exit 1
tollgate kill preflight --env Paper || exit 1
sleep 3
echo "==> while the switch is on, every new Paper intent is REJECTED with EXE-KILL before it reaches the channel"
tollgate execution status | grep -E "cohort|EXE-KILL" || exit 1
echo "==> releasing it on Paper needs a Trader's approval: off without one asks for it"
release=$(tollgate kill off --env Paper --reason "drill over" | sed -n 's/.*requested \(ap-[0-9a-f]*\).*/\1/p')
[ -n "$release" ] || { echo "expected an approval request for the release"; exit 1; }
challenge=$(as "$TRADER" approval approve "$release" | sed -n 's/^challenge \([^ ]*\).*/\1/p')
as "$TRADER" approval confirm "$release" --challenge "$challenge" >/dev/null || exit 1
tollgate kill off --env Paper --reason "drill over" --approval "$release" || exit 1
echo "==> reconciliation (POST /api/reconcile): the Paper channel's open orders, fills and positions against Tollgate's records"
sleep 5
tollgate execution reconcile || exit 1
echo "==> an Auditor only reads: engaging is refused (403), and the attempt is itself in the ledger"
as "$AUDITOR" kill on --env Live --reason "curious"
[ $? -eq 2 ] || { echo "expected AUTH_ROLE_DENIED"; exit 1; }
as "$AUDITOR" kill status || exit 1
# The market plane (issue 5): the connector has been streaming the fake exchange into market-ingest since the host
# started; every frame is captured. Replaying the capture runs the same handler and gives the same features.
echo "==> the market plane: books, features, data quality and connections (tollgate market status)"
tollgate market status || exit 1
capture=$(ls "$captures"/*.jsonl.gz 2>/dev/null | head -n 1)
[ -n "$capture" ] || { echo "no market capture was written"; exit 1; }
sleep 1 # the capture is flushed every second
echo "==> the last 3 seconds as a replayable slice (from each book's last snapshot before it), sealed in a replay bundle"
to=$(date -u +%Y-%m-%dT%H:%M:%SZ); from=$(date -u -d "-3 seconds" +%Y-%m-%dT%H:%M:%SZ)
tollgate market slice "$capture" --from "$from" --to "$to" --out "$demo/market-slice.jsonl.gz" || exit 1
tollgate bundle create --event-ref "market-window-$from" --environment Paper --member "market_data=$demo/market-slice.jsonl.gz" || exit 1
echo "==> tollgate market replay of the slice, with 1 s bars so ATR and volatility show (twice: the FeatureEvents must hash the same)"
tollgate market replay "$demo/market-slice.jsonl.gz" --speed max --bar-seconds 1 --atr-period 5 --vol-bars 10 | tee "$demo/replay-1.txt" || exit 1
tollgate market replay "$demo/market-slice.jsonl.gz" --speed max --bar-seconds 1 --atr-period 5 --vol-bars 10 > "$demo/replay-2.txt" || exit 1
first=$(grep '^features:' "$demo/replay-1.txt"); second=$(grep '^features:' "$demo/replay-2.txt")
[ "$first" = "$second" ] || { echo "replays differ: $first / $second"; exit 1; }
echo "second replay: $second (identical)"
echo "==> tollgate paper run: the same slice through rule strategy → router → Paper channel → positions → reconciliation, in one process"
tollgate paper run "$demo/market-slice.jsonl.gz" --rules "$demo/rules.json" --show 8 || exit 1

# Release control (issue 8; docs/RELEASES.md): a config release and a code release through the nine stages on Paper,
# driven by the market the host has been recording. The demo policies keep seed 002's 10% → 50% → 100% with seconds
# instead of minutes (samples/policies has the seeds' minutes).
echo "==> release control: the last 20 seconds of the market, the slice the config release's Test stage simulates"
to=$(date -u +%Y-%m-%dT%H:%M:%SZ); from=$(date -u -d "-20 seconds" +%Y-%m-%dT%H:%M:%SZ)
tollgate market slice "$capture" --from "$from" --to "$to" --out "$demo/release-slice.jsonl.gz" >/dev/null || exit 1
echo "==> a release policy is versioned config: its rev is the policy version the candidate map names (tollgate policy lint)"
policy_lint=$(as "$PIPELINE" policy lint samples/policies/demo-config-bundle.json) || exit 1
echo "$policy_lint"
policy_rev=$(echo "$policy_lint" | head -n 1)
policy_digest=$(as "$PIPELINE" object put samples/policies/demo-config-bundle.json) || exit 1
echo "==> CI lints the good config bundle (rules, factors, universe) against the host's instruments, then simulates it against the active rules (seed 002 D)"
good_rev=$(as "$PIPELINE" config-bundle lint samples/bundles/good.json --rules-out "$demo/good-rules.json" | head -n 1) || exit 1
as "$PIPELINE" config-bundle simulate samples/bundles/good.json --capture "$demo/release-slice.jsonl.gz" | tail -n 1 || exit 1
echo "==> the wide-spread bundle is refused by the same simulation (flip_pct too high, Jaccard too low, size_mult out of range)"
as "$PIPELINE" config-bundle simulate samples/bundles/wide-spread.json --capture "$demo/release-slice.jsonl.gz" | tail -n 1
[ "${PIPESTATUS[0]}" -eq 1 ] || { echo "expected the wide-spread bundle to be REJECTED"; exit 1; }
commit=$(git rev-parse HEAD 2>/dev/null || echo 0123456789abcdef0123456789abcdef01234567)
candidate() { # rules-file rules-rev policy-rev policy-digest: the candidate map, its rules and its release policy as artifacts
  local digest; digest=$(as "$PIPELINE" object put "$1") || return 1
  as "$PIPELINE" vmap register --env Paper --docs docs-2026.12 --policy "$3" --model model-3 --config "$2" --code "$commit" \
    --rulebook "$rulebook" --artifact "rules=$2=$digest" --artifact "policy=$3=$4" --json | sed -n 's/.*"id": "\(vm-[0-9a-f]*\)".*/\1/p' | head -n 1
}
# Follows a release to its end, printing each change of stage, step, weight and analysis, as the people on duty would:
# the Trader approves when the release waits for a pointer switch's approval (Paper is live-grade: four-eyes before
# activation); the Operator answers an INCONCLUSIVE pause. Exits as status does.
follow() {
  local id=$1 approved="" last="" view rc line pending challenge out cooldown=0
  for _ in $(seq 1 600); do
    # status exits 1 once the release ended other than SUCCESS: that is an answer, not an error.
    view=$(as "$OPERATOR" release status "$id"); rc=$?
    [ "$rc" -le 1 ] || { echo "$view"; return 2; }
    line=$(echo "$view" | sed -n 2p)
    [ "$line" != "$last" ] && echo "    $line"
    last=$line
    pending=$(echo "$view" | sed -n 's/^  approval \(ap-[0-9a-f]*\) .* PENDING$/\1/p' | head -n 1)
    if [ -n "$pending" ] && [ "$pending" != "$approved" ]; then
      echo "    the release waits for approval $pending: the Trader approves and confirms (two steps, not the requester)"
      challenge=$(as "$TRADER" approval approve "$pending" | sed -n 's/^challenge \([^ ]*\).*/\1/p')
      as "$TRADER" approval confirm "$pending" --challenge "$challenge" >/dev/null || return 2
      approved=$pending
    fi
    # The policy pauses a window that ended INCONCLUSIVE (too few samples to judge) for a human; the Operator resumes and
    # the window is watched again. Resume never promotes by itself: only a later conclusive analysis does.
    if [ "$cooldown" -gt 0 ]; then cooldown=$((cooldown - 1))
    elif echo "$line" | grep -q '^\[CANARY\] PAUSED'; then
      echo "    the window ended INCONCLUSIVE and the canary waits for a human: the Operator reads the analyses and resumes"
      out=$(as "$OPERATOR" release resume "$id" --reason "too few samples to judge: watch the window again") || { echo "$out"; return 2; }
      cooldown=6
    fi
    echo "$view" | grep -q '^result ' && break
    sleep 0.5
  done
  as "$OPERATOR" release status "$id"
}
good_map=$(candidate "$demo/good-rules.json" "$good_rev" "$policy_rev" "$policy_digest")
[ -n "$good_map" ] || { echo "registering the good candidate failed"; exit 1; }
echo "==> CI starts the config release of $good_map (POST /api/releases): Build, Test (the simulation), Package, Sign, Deploy (staged beside the active map), Verify, then the canary"
good=$(as "$PIPELINE" release start --env Paper --kind config_bundle --map "$good_map" --commit "$commit" --ci-run "demo-good-$$" \
  --bundle samples/bundles/good.json --capture "$demo/release-slice.jsonl.gz" --document-index "$demo/document-index.json" --veto-codes "$demo/veto-codes.json" | head -n 1) || exit 1
echo "release $good"
follow "$good"
[ $? -eq 0 ] || { echo "expected the good release to be promoted (SUCCESS)"; exit 1; }
echo "==> the order path now trades the promoted rules: the candidate is the Active Version Map"
tollgate vmap show --env Paper | head -n 3
echo "==> a bad code release: its order sizing is off (12 BTC a market order, over the 10 BTC limit), so pre-trade risk refuses every order the canary opens"
cat > "$demo/oversized.json" <<'JSON'
{ "name": "oversized", "rules": [ { "id": "spot-buy-oversized", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 50"],
  "side": "BUY", "type": "MARKET", "quantity": "12", "cooldown_seconds": 0, "max_open": 50 } ] }
JSON
cat > "$demo/junit.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="Tollgate" tests="2" failures="0" errors="0">
  <testcase classname="Tollgate.Gates.VersionAuditGateTests" name="Passes_a_complete_map"/><testcase classname="Tollgate.Router.RouterTests" name="Routes_once"/>
</testsuite></testsuites>
XML
bad_rev=$(as "$PIPELINE" rules lint "$demo/oversized.json" | head -n 1) || exit 1
code_policy_rev=$(as "$PIPELINE" policy lint samples/policies/demo-code.json | head -n 1) || exit 1
code_policy_digest=$(as "$PIPELINE" object put samples/policies/demo-code.json) || exit 1
bad_map=$(candidate "$demo/oversized.json" "$bad_rev" "$code_policy_rev" "$code_policy_digest")
bad=$(as "$PIPELINE" release start --env Paper --kind code --map "$bad_map" --commit "$commit" --ci-run "demo-bad-$$" --test-report "$demo/junit.xml" \
  --document-index "$demo/document-index.json" --veto-codes "$demo/veto-codes.json" | head -n 1) || exit 1
echo "release $bad"
follow "$bad"
[ $? -eq 1 ] || { echo "expected the bad release to be rolled back (ROLLED_BACK)"; exit 1; }
echo "==> the deploy events are in the ledger, each with its inclusion proof"
tollgate ledger prove "deploy:$good" --storage "$AZURITE_CONNECTION_STRING" || exit 1
tollgate ledger prove "deploy:$bad" --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger verify (from storage)"
tollgate ledger verify --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger prove 0"
tollgate ledger prove 0 --storage "$AZURITE_CONNECTION_STRING" || exit 1
echo "==> tollgate ledger export, then verify the copy offline"
tollgate ledger export "$demo/ledger-export" --storage "$AZURITE_CONNECTION_STRING" || exit 1
tollgate ledger verify --dir "$demo/ledger-export" --key "@$demo/ledger-export/verifier-key.txt" || exit 1
exit 0
