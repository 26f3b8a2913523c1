#!/usr/bin/env bash
# The burst controller's rules on random days, long form: the same test as the short form in
# `dotnet test` (tests/Etrid.Mithril.Tests, BurstInvariantTests), with more days, run in chunks of
# 1,000 so that progress shows and a stop keeps what was checked.
#   bench/burst-invariants.sh [DAYS]                    DAYS random days (default 10000)
#   ETRID_BURST_SEED=<seed> bench/burst-invariants.sh   replay one day
set -euo pipefail
cd "$(dirname "$0")/.."
days="${1:-10000}"
chunk=1000
dotnet build tests/Etrid.Mithril.Tests -c Release -v q -nologo
run() {
  dotnet test tests/Etrid.Mithril.Tests -c Release --no-build \
    --filter "FullyQualifiedName~BurstInvariantTests" --logger "console;verbosity=detailed" \
    | grep -E "burst invariants:.*checked|tick [0-9]+:|seed|Failed!" || true
}
if [ -n "${ETRID_BURST_SEED:-}" ]; then
  run
  exit 0
fi
for ((first = 0; first < days; first += chunk)); do
  export ETRID_BURST_FIRST=$first ETRID_BURST_DAYS=$((days - first < chunk ? days - first : chunk))
  echo "days $first to $((first + ETRID_BURST_DAYS - 1)):"
  out=$(run)
  echo "$out"
  if ! grep -q "no rule broken" <<<"$out"; then
    echo "a rule was broken: see above"
    exit 1
  fi
done
echo "burst invariants: $days days, no rule broken"
