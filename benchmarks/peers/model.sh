#!/usr/bin/env bash
# Model evaluation: Matching's compiled ensemble vs ML.NET Transform vs native LightGBM, same trees, same rows.
# usage: benchmarks/peers/model.sh DATA_DIR [ROUNDS]   (DATA_DIR: the CSL folder)
source "$(dirname "$0")/common.sh"
usage_data_dir "$@"
ROUNDS="${2:-3}"

# Native LightGBM: lib_lightgbm.so from the LightGBM NuGet package (a dependency of Microsoft.ML.LightGbm),
# called through its C API. Debian 12 packages no LightGBM (`apt-cache search lightgbm` finds nothing).
build_harness
"${HARNESS[@]}" model-rows "$DATA_DIR" "$OUT/model" --demands demands.dev.title.jsonl --judgments judgments.dev.qrels
record "${HARNESS[@]}" model "$OUT/model" --rounds "$ROUNDS" --min-seconds 1

/usr/bin/python3 "$PEERS_DIR/report.py" "$RESULTS" --section model
