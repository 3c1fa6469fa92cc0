#!/usr/bin/env python3
"""Markdown tables from run.sh's WORK_DIR: per set, BM25 and reranked MRR@10, R@10, R@100 at each cap, and the
CPU seconds of each evaluate run.   python3 benchmarks/long-queries/table.py WORK_DIR"""
import json
import os
import re
import sys

SETS = [('split.full', 'long split: title + keywords + first half of the abstract → second half (998)'),
        ('split.long', 'long split, the queries of at least 200 characters (167)'),
        ('split.body', 'long split, description only: first half → second half (998)'),
        ('reverse', 'reverse: whole abstract → title + keywords record (1,000 queries, 1,660 records)'),
        ('csl.dev.title', 'CSL dev titles (1,000)'),
        ('csl.dev.keywords', 'CSL dev keywords (1,000)')]


def cpu(path):
    if not os.path.exists(path):
        return None
    text = open(path).read()
    user = float(re.search(r'User time \(seconds\): ([\d.]+)', text).group(1))
    system = float(re.search(r'System time \(seconds\): ([\d.]+)', text).group(1))
    return user + system


def main():
    work = sys.argv[1]
    caps = sorted({int(m.group(1)) for f in os.listdir(work) for m in [re.search(r'\.cap(\d+)\.json$', f)] if m}, reverse=True)
    for name, label in SETS:
        rows = []
        base = None
        for cap in caps:
            path = os.path.join(work, f'{name}.cap{cap}.json')
            if not os.path.exists(path):
                continue
            j = json.load(open(path))
            b, r = j['bm25'], j.get('reranked', {})
            if base is None and cap == 300:
                base = (b['mrr@10'], r.get('mrr@10'))
            d = '' if base is None else f" | {b['mrr@10'] - base[0]:+.4f} | {r['mrr@10'] - base[1]:+.4f}"
            t = cpu(os.path.join(work, f'{name}.cap{cap}.time'))
            rows.append(f"| {cap} | {b['mrr@10']:.4f} | {r['mrr@10']:.4f} | {b['recall@10']:.4f} | {r['recall@10']:.4f} | "
                        f"{b['recall@100']:.4f}{d} | {'' if t is None else f'{t:.1f}'} |")
        if not rows:
            continue
        print(f'**{label}**\n')
        print('| cap | BM25 MRR@10 | reranked MRR@10 | BM25 R@10 | reranked R@10 | R@100 | Δ BM25 MRR@10 vs 300 | Δ reranked vs 300 | evaluate CPU s |')
        print('|---|---|---|---|---|---|---|---|---|')
        print('\n'.join(rows))
        print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
