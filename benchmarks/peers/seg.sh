#!/usr/bin/env bash
# Segmentation throughput and agreement: Matching / jieba.NET vs Python jieba vs jieba-rs.
# usage: benchmarks/peers/seg.sh DATA_DIR [ROUNDS]      (DATA_DIR: the CSL folder, e.g. ../shared/data/csl)
source "$(dirname "$0")/common.sh"
usage_data_dir "$@"
ROUNDS="${2:-3}"

ensure_apt python3-jieba
{ command -v node && command -v npm; } >/dev/null || ensure_apt nodejs npm
if [ ! -d "$PEERS_DIR/node_modules/@node-rs/jieba" ]; then
  echo "installing @node-rs/jieba (npm) into $PEERS_DIR/node_modules" >&2
  (cd "$PEERS_DIR" && npm install --no-audit --no-fund --no-package-lock >&2)
fi
build_harness

LINES="$OUT/lines.txt"
"${HARNESS[@]}" lines "$DATA_DIR" "$LINES"

# One process per peer, each warm (dictionary loaded, one full pass) and single-threaded.
record "${HARNESS[@]}" seg-jiebanet "$LINES" "$OUT/tokens.jiebanet.jsonl" --rounds "$ROUNDS"
record "${HARNESS[@]}" seg-matching "$LINES" "$OUT" --rounds "$ROUNDS"
record /usr/bin/python3 "$PEERS_DIR/seg_jieba.py" "$LINES" "$OUT/tokens.python-jieba.jsonl" --rounds "$ROUNDS"
record node "$PEERS_DIR/seg_jieba_rs.js" "$LINES" "$OUT/tokens.jieba-rs.jsonl" --rounds "$ROUNDS"

# Token sequences against jieba.NET's Cut with its own dictionary (every token, punctuation included).
record /usr/bin/python3 "$PEERS_DIR/agree.py" "$OUT/tokens.jiebanet.jsonl" "$OUT/tokens.python-jieba.jsonl" jieba.NET python.jieba
record /usr/bin/python3 "$PEERS_DIR/agree.py" "$OUT/tokens.jiebanet.jsonl" "$OUT/tokens.jieba-rs.jsonl" jieba.NET jieba-rs
record /usr/bin/python3 "$PEERS_DIR/agree.py" "$OUT/tokens.jiebanet.jsonl" "$OUT/tokens.jiebanet-userdict.jsonl" jieba.NET jieba.NET+userdict.cut

/usr/bin/python3 "$PEERS_DIR/report.py" "$RESULTS" --section seg
