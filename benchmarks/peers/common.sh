# Sourced by the peers scripts: paths, the C# harness build and installs by package name.
set -euo pipefail
PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$PEERS_DIR/../.." && pwd)"
# Outputs (tokens, dumps, runs, results.jsonl) and the harness build live outside the repository.
OUT="${PEERS_OUT:-/tmp/matching-peers}"
BUILD="${PEERS_BUILD:-/tmp/matching-peers-build}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"   # absolute: results name their dump folder by it
RESULTS="$OUT/results.jsonl"

usage_data_dir() {
  if [ $# -lt 1 ] || [ ! -f "$1/achievements.jsonl" ]; then
    echo "usage: $0 DATA_DIR   (the CSL folder, e.g. ../shared/data/csl: achievements.jsonl, demands.dev.title.jsonl, judgments.dev.qrels)" >&2
    exit 2
  fi
  DATA_DIR="$(cd "$1" && pwd)"
}

# Installs Debian packages that are missing (apt-get update once per run of a script).
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt-get)" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  fi
}

# Builds benchmarks/Matching.Peers (Release) into $BUILD, so the repository's bin/ and obj/ are not touched.
# PEERS_NO_BUILD=1 reuses the last build (e.g. to measure again while the library is mid-edit).
build_harness() {
  if [ "${PEERS_NO_BUILD:-0}" != 1 ]; then
    echo "building Matching.Peers (Release) into $BUILD" >&2
    dotnet build "$REPO_ROOT/benchmarks/Matching.Peers" -c Release --artifacts-path "$BUILD" -nologo -v quiet >&2
  fi
  HARNESS=(dotnet "$BUILD/bin/Matching.Peers/release/Matching.Peers.dll")
  [ -f "${HARNESS[1]}" ] || { echo "no harness build in $BUILD" >&2; exit 1; }
}

# Runs a command whose stdout is JSON result lines: shows them and appends them to $RESULTS.
record() {
  "$@" | tee -a "$RESULTS"
}
