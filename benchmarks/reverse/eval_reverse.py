#!/usr/bin/env python3
"""Achievement→demand quality of a `match` run: MRR@10 and recall@10 of achievement_matches.csv against a
qrels file inverted (achievement → its relevant demands, grade > 0). Only achievements with at least one
relevant demand count; an achievement with an empty or missing list scores 0.

usage: eval_reverse.py QRELS OUT_DIR [OUT_DIR ...]"""
import collections
import csv
import sys


def relevant(qrels):
    rel = collections.defaultdict(set)
    with open(qrels, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and float(parts[3]) > 0:
                rel[parts[2]].add(parts[0])
    return rel


def lists(out_dir):
    by = collections.defaultdict(list)
    with open(f"{out_dir}/achievement_matches.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by[row["achievement_id"]].append((int(row["rank"]), row["demand_id"]))
    return {a: [d for _, d in sorted(l)] for a, l in by.items()}


def score(rel, got, k=10):
    mrr = recall = 0.0
    for a, demands in rel.items():
        ranked = got.get(a, [])[:k]
        first = next((i for i, d in enumerate(ranked) if d in demands), None)
        mrr += 0 if first is None else 1 / (first + 1)
        recall += sum(1 for d in ranked if d in demands) / len(demands)
    n = len(rel)
    return mrr / n, recall / n, n


if __name__ == "__main__":
    rel = relevant(sys.argv[1])
    for out in sys.argv[2:]:
        mrr, recall, n = score(rel, lists(out))
        print(f"{out}\tachievements={n}\tMRR@10={mrr:.4f}\tR@10={recall:.4f}")
