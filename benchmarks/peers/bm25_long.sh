#!/usr/bin/env bash
# BM25 top-100 with long queries (whole demands: title + description + keywords, the engine's indexing analyzer with
# sub-words, at most 300 distinct terms) over a synthetic corpus and prefixes of it: the engine's own scorer
# (TermAtATimeScorer), Lucene.Net 4.8's BooleanQuery, Lucene Java 8 (exhaustive and default collector).
# usage: benchmarks/peers/bm25_long.sh SYNTH_DIR SIZE [SIZE ...]
#   SYNTH_DIR: the folder `matching synth --out` wrote (achievements.jsonl, demands.jsonl); SIZE: how many of its first
#   achievements to index (0: all). Settings by environment: ROUNDS (3), PASSES (1), WARMUP (3 passes), QUERIES (0: all),
#   MAX_TERMS (300), THREADS (2, segmentation of the dump only), JAVA_HEAP (3g), PEERS (engine lucenenet exhaustive default).
source "$(dirname "$0")/common.sh"
if [ $# -lt 2 ] || [ ! -f "$1/achievements.jsonl" ] || [ ! -f "$1/demands.jsonl" ]; then
  echo "usage: $0 SYNTH_DIR SIZE [SIZE ...]   (SYNTH_DIR: achievements.jsonl and demands.jsonl from matching synth)" >&2
  exit 2
fi
SYNTH="$(cd "$1" && pwd)"; shift
ROUNDS="${ROUNDS:-3}"; PASSES="${PASSES:-1}"; WARMUP="${WARMUP:-3}"; QUERIES="${QUERIES:-0}"
MAX_TERMS="${MAX_TERMS:-300}"; THREADS="${THREADS:-2}"; JAVA_HEAP="${JAVA_HEAP:-3g}"
PEERS="${PEERS:-engine lucenenet exhaustive default}"

ensure_apt liblucene8-java
command -v javac >/dev/null || ensure_apt default-jdk-headless
build_harness
JARS="$(ls /usr/share/java/lucene-core-8*.jar | head -1):$(ls /usr/share/java/lucene-analyzers-common-8*.jar | head -1)"
mkdir -p "$OUT/java"
javac -nowarn -d "$OUT/java" -cp "$JARS" "$PEERS_DIR/Bm25Peer.java"
JAVA=(java "-Xms$JAVA_HEAP" "-Xmx$JAVA_HEAP" -cp "$JARS:$OUT/java" Bm25Peer)

# The whole corpus is segmented once (the slow part); smaller sizes are prefixes of it, their queries capped against
# their own document frequencies. A size whose dump exists is not dumped again.
LONG="$OUT/long"
FULL="$LONG/all"
full_dump() {
  if [ ! -f "$FULL/docs.tsv" ] || [ ! -f "$FULL/queries.full.tsv" ]; then
    "${HARNESS[@]}" bm25-dump "$SYNTH" "$FULL" --achievements achievements.jsonl --demands demands.jsonl \
      --analyzer index --max-terms "$MAX_TERMS" --threads "$THREADS"
  fi
}

for SIZE in "$@"; do
  DUMP="$LONG/$SIZE"
  if [ "$SIZE" = 0 ]; then
    DUMP="$FULL"
    full_dump
  elif [ ! -f "$DUMP/queries.tsv" ]; then
    full_dump
    "${HARNESS[@]}" bm25-cap "$FULL/docs.tsv" "$FULL/queries.full.tsv" "$DUMP" --limit "$SIZE" --max-terms "$MAX_TERMS"
  fi
  # Indexes are kept beside the dump (built by the first run that needs them; index_s is null when reused).
  common=(--warmup "$WARMUP" --rounds "$ROUNDS" --passes "$PASSES" --queries "$QUERIES")
  runs=()
  for peer in $PEERS; do
    case "$peer" in
      engine) record "${HARNESS[@]}" bm25 "$DUMP" --scorer engine --sim lucene8 --dir nio --index "$DUMP/index.lucenenet" "${common[@]}" --run-out "$DUMP/run.engine"
              runs+=("$DUMP/run.engine") ;;
      lucenenet) record "${HARNESS[@]}" bm25 "$DUMP" --scorer lucene --sim lucene8 --dir nio --index "$DUMP/index.lucenenet" "${common[@]}" --run-out "$DUMP/run.lucenenet"
              runs+=("$DUMP/run.lucenenet") ;;
      exhaustive|default) record "${JAVA[@]}" "$DUMP" --dir mmap --collector "$peer" --index "$DUMP/index.lucene8" "${common[@]}" --run-out "$DUMP/run.lucene8.$peer"
              runs+=("$DUMP/run.lucene8.$peer") ;;
      *) echo "unknown peer $peer (engine, lucenenet, exhaustive, default)" >&2; exit 2 ;;
    esac
  done
  # Agreement of the top-100 lists, against Lucene Java exhaustive when it ran, else the first run.
  ref=""
  for r in "${runs[@]}"; do case "$r" in *run.lucene8.exhaustive) ref="$r" ;; esac; done
  [ -n "$ref" ] || ref="${runs[0]}"
  others=(); for r in "${runs[@]}"; do [ "$r" = "$ref" ] || others+=("$r"); done
  /usr/bin/python3 "$PEERS_DIR/compare_runs.py" - "$ref" "${others[@]}" | sed "s|^{|{\"dump\": \"$DUMP\", |" | tee -a "$RESULTS"
  # The engine against Lucene.Net's BooleanQuery on the same index: the same lists and the same score bits.
  if [ -f "$DUMP/run.engine" ] && [ -f "$DUMP/run.lucenenet" ] && [[ " $PEERS " == *" engine "* ]]; then
    /usr/bin/python3 "$PEERS_DIR/compare_runs.py" - "$DUMP/run.lucenenet" "$DUMP/run.engine" | tail -1 \
      | sed "s|^{|{\"dump\": \"$DUMP\", |" | tee -a "$RESULTS"
  fi
done

/usr/bin/python3 "$PEERS_DIR/report.py" "$RESULTS" --section bm25
