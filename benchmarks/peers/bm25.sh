#!/usr/bin/env bash
# BM25 top-100 retrieval on CSL (short queries): the engine's own scorer and Lucene.Net 4.8's BooleanQuery (Matching's
# similarity and the stock one) vs Lucene Java 8. Long queries at scale: bm25_long.sh.
# usage: benchmarks/peers/bm25.sh DATA_DIR [ROUNDS] [PASSES]   (DATA_DIR: the CSL folder)
source "$(dirname "$0")/common.sh"
usage_data_dir "$@"
ROUNDS="${2:-3}"
PASSES="${3:-5}"

ensure_apt liblucene8-java
command -v javac >/dev/null || ensure_apt default-jdk-headless
build_harness

# The Debian jars (their file names say 8.7.0; the manifest and Version.LATEST say 8.8.1).
JARS="$(ls /usr/share/java/lucene-core-8*.jar | head -1):$(ls /usr/share/java/lucene-analyzers-common-8*.jar | head -1)"
mkdir -p "$OUT/java"
javac -nowarn -d "$OUT/java" -cp "$JARS" "$PEERS_DIR/Bm25Peer.java"
JAVA=(java -Xms1g -Xmx1g -cp "$JARS:$OUT/java" Bm25Peer)

DUMP="$OUT/bm25"
"${HARNESS[@]}" bm25-dump "$DATA_DIR" "$DUMP" --demands demands.dev.title.jsonl

common=(--warmup 20 --rounds "$ROUNDS" --passes "$PASSES")
record "${JAVA[@]}" "$DUMP" --dir mmap --collector default "${common[@]}" --run-out "$OUT/run.lucene8.default"
record "${HARNESS[@]}" bm25 "$DUMP" --sim lucene8 --dir mmap "${common[@]}" --run-out "$OUT/run.lucenenet.lucene8"
record "${JAVA[@]}" "$DUMP" --dir mmap --collector exhaustive "${common[@]}" --run-out "$OUT/run.lucene8.exhaustive"
record "${HARNESS[@]}" bm25 "$DUMP" --sim lucene48 --dir mmap "${common[@]}" --run-out "$OUT/run.lucenenet.lucene48"
record "${JAVA[@]}" "$DUMP" --dir heap --collector default "${common[@]}"
record "${HARNESS[@]}" bm25 "$DUMP" --sim lucene8 --dir ram "${common[@]}"
record "${HARNESS[@]}" bm25 "$DUMP" --scorer engine --sim lucene8 --dir mmap "${common[@]}" --run-out "$OUT/run.engine"
record "${HARNESS[@]}" bm25 "$DUMP" --scorer engine --sim lucene8 --dir ram "${common[@]}"

/usr/bin/python3 "$PEERS_DIR/compare_runs.py" "$DATA_DIR/judgments.dev.qrels" "$OUT/run.lucene8.default" \
  "$OUT/run.lucene8.exhaustive" "$OUT/run.lucenenet.lucene8" "$OUT/run.lucenenet.lucene48" "$OUT/run.engine" \
  | sed "s|^{|{\"dump\": \"$DUMP\", |" | tee -a "$RESULTS"
# The engine against Lucene.Net's BooleanQuery on the same text: the same lists and the same score bits.
/usr/bin/python3 "$PEERS_DIR/compare_runs.py" "$DATA_DIR/judgments.dev.qrels" "$OUT/run.lucenenet.lucene8" "$OUT/run.engine" | tail -1 \
  | sed "s|^{|{\"dump\": \"$DUMP\", |" | tee -a "$RESULTS"

/usr/bin/python3 "$PEERS_DIR/report.py" "$RESULTS" --section bm25
