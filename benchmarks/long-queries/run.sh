#!/usr/bin/env bash
# Quality at each query-term cap: `matching evaluate` (the shipped model, or $MODEL; its output has BM25 and
# reranked) on the long-query sets of make.py and on CSL dev titles and keywords, one JSON a row.
#
#   benchmarks/long-queries/run.sh SHARED_DATA_DIR LONG_QUERY_DIR WORK_DIR [CAPS...]
#
# LONG_QUERY_DIR is make.py's output. WORK_DIR receives NAME.capN.json (rows already there are not run again)
# and NAME.capN.time (/usr/bin/time -v). CAPS default: 300 200 128 96 64 48 32. MATCHING: the CLI (default the
# Release build of this clone). One query thread, so the CPU time is the work's.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
shared=${1%/} lq=${2%/} work=${3%/}
shift 3
caps=("$@")
((${#caps[@]})) || caps=(300 200 128 96 64 48 32)
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
matching=${MATCHING:-$repo/src/Matching.Cli/bin/Release/net10.0/Matching.Cli}
model_args=()
[[ -n "${MODEL:-}" ]] && model_args=(--model "$MODEL")
mkdir -p "$work"

declare -A sets=(
  [split.full]="-a $lq/split/achievements.jsonl -d $lq/split/demands.full.jsonl -j $lq/split/judgments.qrels"
  [split.body]="-a $lq/split/achievements.jsonl -d $lq/split/demands.body.jsonl -j $lq/split/judgments.qrels"
  [split.long]="-a $lq/split/achievements.jsonl -d $lq/split/demands.long.jsonl -j $lq/split/judgments.long.qrels"
  [reverse]="-a $lq/reverse/achievements.jsonl -d $lq/reverse/demands.jsonl -j $lq/reverse/judgments.qrels"
  [csl.dev.title]="-a $shared/csl/achievements.jsonl -d $shared/csl/demands.dev.title.jsonl -j $shared/csl/judgments.dev.qrels"
  [csl.dev.keywords]="-a $shared/csl/achievements.jsonl -d $shared/csl/demands.dev.keywords.jsonl -j $shared/csl/judgments.dev.qrels"
)
for cap in "${caps[@]}"; do
  for name in split.full split.long split.body reverse csl.dev.title csl.dev.keywords; do
    out=$work/$name.cap$cap.json
    [[ -s $out ]] && continue
    read -r -a args <<<"${sets[$name]}"
    echo "[$(date -u +%H:%M:%S)] $name cap $cap (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    /usr/bin/time -v -o "$work/$name.cap$cap.time" "$matching" evaluate "${args[@]}" --max-query-terms "$cap" --threads 1 \
      ${model_args[@]+"${model_args[@]}"} --json >"$out.tmp" 2>"$work/$name.cap$cap.log"
    mv "$out.tmp" "$out"
  done
done
