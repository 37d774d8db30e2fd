#!/usr/bin/env bash
# Runs the durable engine benchmark: installs Azurite from the lock file if missing, starts one
# Azurite for the run (the benchmark reads its connection string from TOLLGATE_BENCH_STORAGE),
# builds Release and runs benchmarks/Tollgate.Benchmarks with this script's arguments, e.g.
#   ./scripts/bench.sh --backend azurite --scenario chain --repeat 3
# The Markdown report goes to stdout, progress to stderr; exits with the benchmark's code.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
source scripts/azurite.sh
trap "azurite_stop >&2" EXIT

azurite_install >&2 || exit 1
azurite_start >&2 || exit 1
export TOLLGATE_BENCH_STORAGE="$AZURITE_CONNECTION_STRING"

echo "==> building" >&2
dotnet build benchmarks/Tollgate.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || exit 1

echo "==> benchmarking" >&2
dotnet run -c Release --no-build --project benchmarks/Tollgate.Benchmarks -- "$@"
