#!/usr/bin/env bash
# Trains the model Matching ships (models/matching-ranker.zip) from redistributable data only, with the checks that
# decide whether it may ship, and writes it to OUT (default: models/matching-ranker.zip of this clone).
#
#   benchmarks/quality/train-shipped-model.sh DATA_DIR [OUT.zip]
#
# DATA_DIR is ../shared/data (Matching's dataset format). The training sets:
#   csl-train-keywords     CSL train: author keywords -> abstract (Apache-2.0)
#   csl-title-constructed  1,500 title-like queries built from CSL abstracts no CSL judgment uses (event-like.py title)
#   csl-event-constructed  1,500 event-like demands (title + enterprise description) built the same way (event-like.py
#                          event): long queries, so the ranker and its strength calibration see the kind of demand an
#                          event has (without it the calibrated strength of the sample event's long demands was low)
# LCQMC, BQ and AFQMC are never used (research use only, or terms unclear). Left out after measuring (CSL dev MRR@10,
# keywords / titles, BM25 .9642 / .9599): PAWS-X zh (every mix with it ranked CSL dev titles below BM25, down to
# .9239). The event-like set was left out too while training lists appended the judged answers BM25 missed
# (.9686 / .9614 with it, .9718 / .9633 without); since lists are exactly the retrieved ones (2026-12-07) it helps:
# .9732 / .9645 with it, .9729 / .9618 without.
#
# A parameter search (GRID, default below) by 5-fold cross-validation grouped by shared answers within each set picks
# the learner's parameters; the strength calibration is fitted on the chosen point's out-of-fold lists; the final
# model is evaluated on CSL dev (keywords and titles) and, with --require-no-loss, not written (exit 8) when it is
# below BM25 on any training set's cross-validation or on a dev set.
# Environment: GRID (the search grid; default "trees=100,300;leaves=8,20;min-leaf=20,100;learning-rate=0.05"),
# MATCHING (the CLI; default the Release build of this clone), WORK (default benchmarks/quality/work).
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1" ]]; then
  echo "usage: $0 DATA_DIR [OUT.zip]" >&2
  exit 2
fi

data=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${2:-$repo/models/matching-ranker.zip}
work=${WORK:-$here/work}/shipped
matching=${MATCHING:-$repo/src/Matching.Cli/bin/Release/net10.0/Matching.Cli}
if [[ -z "${MATCHING:-}" && ! -x "$matching" ]]; then
  dotnet build -c Release "$repo/src/Matching.Cli" >&2
fi
mkdir -p "$work"

python3 "$here/event-like.py" "$data" "$work/csl-title" 1500 2 title
python3 "$here/event-like.py" "$data" "$work/csl-event" 1500 1 event

cat >"$work/sets.json" <<EOF
{
  "sets": [
    { "name": "csl-train-keywords", "achievements": "$data/csl/achievements.jsonl", "demands": "$data/csl/demands.train.keywords.jsonl", "judgments": "$data/csl/judgments.train.qrels" },
    { "name": "csl-title-constructed", "achievements": "$work/csl-title/achievements.jsonl", "demands": "$work/csl-title/demands.jsonl", "judgments": "$work/csl-title/judgments.qrels" },
    { "name": "csl-event-constructed", "achievements": "$work/csl-event/achievements.jsonl", "demands": "$work/csl-event/demands.jsonl", "judgments": "$work/csl-event/judgments.qrels" }
  ]
}
EOF
cat >"$work/dev.sets.json" <<EOF
{
  "sets": [
    { "name": "csl-dev-keywords", "achievements": "$data/csl/achievements.jsonl", "demands": "$data/csl/demands.dev.keywords.jsonl", "judgments": "$data/csl/judgments.dev.qrels" },
    { "name": "csl-dev-title", "achievements": "$data/csl/achievements.jsonl", "demands": "$data/csl/demands.dev.title.jsonl", "judgments": "$data/csl/judgments.dev.qrels" }
  ]
}
EOF

grid=${GRID:-trees=100,300;leaves=8,20;min-leaf=20,100;learning-rate=0.05}
"$matching" train --sets "$work/sets.json" --dev "$work/dev.sets.json" --folds 5 --seed 1 --search --grid "$grid" --require-no-loss --out "$out"
