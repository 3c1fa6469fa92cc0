#!/usr/bin/env bash
# Everything, then the tables: benchmarks/peers/all.sh DATA_DIR [REPORT_MD]
# (DATA_DIR: the CSL folder, e.g. ../shared/data/csl; REPORT_MD default /tmp/peers_bench.md)
source "$(dirname "$0")/common.sh"
usage_data_dir "$@"
REPORT="${2:-/tmp/peers_bench.md}"
: > "$RESULTS"
"$PEERS_DIR/seg.sh" "$DATA_DIR"
"$PEERS_DIR/bm25.sh" "$DATA_DIR"
"$PEERS_DIR/model.sh" "$DATA_DIR"
/usr/bin/python3 "$PEERS_DIR/report.py" "$RESULTS" > "$REPORT"
echo "wrote $REPORT" >&2
