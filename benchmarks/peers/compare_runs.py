#!/usr/bin/python3
"""Top-k overlap of TREC runs against a reference run, and MRR@10 of each against qrels.

usage: python3 compare_runs.py QRELS|- REFERENCE_RUN RUN [RUN ...]

QRELS "-": no judgments (synthetic queries); MRR@10 is left out.

Overlap@k: |top-k(run) ∩ top-k(reference)| / max(|top-k(run)|, |top-k(reference)|) (1 when both are
empty; a query with fewer than k hits is not penalised), averaged over the reference's queries.
Prints one JSON line per run.
"""
import json
import sys
from collections import defaultdict


def read_run(path):
    """(ranked docs per query, ranked (doc, score text) per query, tag)."""
    run = defaultdict(list)
    tag = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, doc, rank, score, tag = line.split()
            run[qid].append((int(rank), doc, score))
    docs = {q: [d for _, d, _ in sorted(v)] for q, v in run.items()}
    scored = {q: [(d, s) for _, d, s in sorted(v)] for q, v in run.items()}
    return docs, scored, tag


def read_qrels(path):
    rel = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, doc, grade = line.split()
            if int(grade) > 0:
                rel[qid].add(doc)
    return rel


def mrr10(run, rel):
    total = 0.0
    for qid, docs in rel.items():
        for rank, doc in enumerate(run.get(qid, [])[:10], 1):
            if doc in docs:
                total += 1 / rank
                break
    return total / len(rel)


def overlap(run, ref, k):
    total = 0.0
    for q, docs in ref.items():
        a, b = set(run.get(q, [])[:k]), set(docs[:k])
        total += len(a & b) / max(len(a), len(b)) if a or b else 1.0
    return total / len(ref)


def main(qrels_path, ref_path, *run_paths):
    rel = read_qrels(qrels_path) if qrels_path != "-" else None
    ref, ref_scored, ref_tag = read_run(ref_path)
    for path in (ref_path, *run_paths):
        run, scored, tag = read_run(path)
        # Same documents, order and score bits (the score as written: shortest round-trip text on both sides).
        identical_scores = sum(scored.get(q, []) == s for q, s in ref_scored.items()) / len(ref)
        identical10 = sum(run.get(q, [])[:10] == docs[:10] for q, docs in ref.items()) / len(ref)
        identical100 = sum(run.get(q, []) == docs for q, docs in ref.items()) / len(ref)
        print(json.dumps({
            "kind": "bm25-agreement",
            "run": tag,
            "reference": ref_tag,
            "queries": len(ref),
            "overlap@10": round(overlap(run, ref, 10), 4),
            "identical_top10_order": round(identical10, 4),
            "overlap@100": round(overlap(run, ref, 100), 4),
            "identical_top100_order": round(identical100, 4),
            "identical_top100_scores": round(identical_scores, 4),
            "mrr@10": round(mrr10(run, rel), 4) if rel is not None else None,
        }), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
