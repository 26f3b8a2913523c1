#!/usr/bin/env bash
# The burst controller's rules on random days, long form: the same test as the short form in
# `dotnet test` (tests/Etrid.Mithril.Tests, BurstInvariantTests), with more days.
#   bench/burst-invariants.sh [DAYS]            DAYS random days (default 10000)
#   ETRID_BURST_SEED=<seed> bench/burst-invariants.sh   replay one day
set -euo pipefail
cd "$(dirname "$0")/.."
export ETRID_BURST_DAYS="${1:-10000}"
dotnet build tests/Etrid.Mithril.Tests -c Release -v q -nologo
dotnet test tests/Etrid.Mithril.Tests -c Release --no-build \
  --filter "FullyQualifiedName~BurstInvariantTests" --logger "console;verbosity=detailed" \
  | grep -E "burst invariants|tick [0-9]+:|seed|Passed!|Failed!"
