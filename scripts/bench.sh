#!/usr/bin/env bash
# Runs a benchmark: installs Azurite from the lock file if missing, starts one Azurite for the run
# (the benchmark reads its connection string from TOLLGATE_BENCH_STORAGE), builds Release and runs
# the chosen benchmark project with the remaining arguments:
#   ./scripts/bench.sh [engine] --backend azurite --scenario chain --repeat 3   (benchmarks/Tollgate.Benchmarks)
#   ./scripts/bench.sh ledger --repeat 3                                        (benchmarks/Tollgate.Ledger.Benchmarks)
#   ./scripts/bench.sh governance --rate 200 --seconds 10                       (benchmarks/Tollgate.Governance.Benchmarks)
#   ./scripts/bench.sh market --rounds 5                                        (benchmarks/Tollgate.Markets.Benchmarks; no Azurite)
#   ./scripts/bench.sh orders --rounds 5                                        (benchmarks/Tollgate.Markets.Benchmarks orders: order routing, Paper on Azurite)
#   ./scripts/bench.sh rollback --hosts 3 --releases 30                         (benchmarks/Tollgate.Release.Benchmarks rollback: abort → every host acknowledged, host processes on Azurite)
#   ./scripts/bench.sh judge --streams 4000 --looks 20 --per-look 50 --seed 1   (benchmarks/Tollgate.Release.Benchmarks: canary judge error rates; no Azurite)
# The Markdown report goes to stdout, progress to stderr; exits with the benchmark's code.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
project=benchmarks/Tollgate.Benchmarks
extra_builds=()
case "${1:-}" in
  engine) shift ;;
  ledger) project=benchmarks/Tollgate.Ledger.Benchmarks; shift ;;
  governance) project=benchmarks/Tollgate.Governance.Benchmarks; shift ;;
  orders) project=benchmarks/Tollgate.Markets.Benchmarks ;; # "orders" stays the first argument: the program's mode
  rollback)
    # "rollback" stays the first argument: the program's mode. It starts the host and the fake exchange as processes,
    # so both are built in Release first (the benchmark does not reference them).
    project=benchmarks/Tollgate.Release.Benchmarks
    extra_builds=(src/Tollgate.Host tests/Tollgate.FakeExchange) ;;
  market)
    # In-process and storage-free: no Azurite. One thread; the Markdown report goes to stdout.
    shift
    echo "==> building" >&2
    dotnet build benchmarks/Tollgate.Markets.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || exit 1
    echo "==> benchmarking" >&2
    exec dotnet run -c Release --no-build --project benchmarks/Tollgate.Markets.Benchmarks -- "$@" ;;
  judge)
    # In-process and storage-free: no Azurite. Seeded simulation on every core; the Markdown report goes to stdout.
    shift
    echo "==> building" >&2
    dotnet build benchmarks/Tollgate.Release.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || exit 1
    echo "==> benchmarking" >&2
    exec dotnet run -c Release --no-build --project benchmarks/Tollgate.Release.Benchmarks -- "$@" ;;
esac
source scripts/azurite.sh
trap "azurite_stop >&2" EXIT

azurite_install >&2 || exit 1
azurite_start >&2 || exit 1
export TOLLGATE_BENCH_STORAGE="$AZURITE_CONNECTION_STRING"

echo "==> building" >&2
for extra in "${extra_builds[@]}"; do
  dotnet build "$extra" -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || exit 1
done
dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || exit 1

echo "==> benchmarking" >&2
dotnet run -c Release --no-build --project "$project" -- "$@"
