#!/usr/bin/env python3
"""Builds judged long-query sets from the CSL data of ../shared/data, in Matching's dataset format.

    python3 benchmarks/long-queries/make.py SHARED_DATA_DIR OUT_DIR

SHARED_DATA_DIR is the folder holding csl/ (its achievements.jsonl, demands.dev.title.jsonl,
demands.dev.keywords.jsonl, demands.train.keywords.jsonl, judgments.dev.qrels, judgments.train.qrels).
OUT_DIR receives two data sets (the corpus mixes Apache-2.0 CSL abstracts with FewCLUE abstracts of unstated
licence, so write it outside the repository):

split/  the product's direction (a demand's whole text against achievements):
  achievements.jsonl       every CSL abstract cut in two at the sentence (else clause) boundary nearest its middle;
                           an achievement is the SECOND part only (results, conclusions), same id, same field.
                           An abstract with no boundary to cut at stays whole.
  demands.full.jsonl       one demand per CSL dev paper: its title, its author keywords and, as description, the
                           FIRST part of its abstract (problem, method): the whole text of a demand.
  demands.body.jsonl       the same demands with the description only (no title, no keywords).
  judgments.qrels          the dev qrels: a demand's one relevant achievement is the rest of its own abstract.
  demands.long.jsonl       the demands of demands.full.jsonl whose text (title, keywords, description) has at
  judgments.long.qrels     least LONG (200) characters, and their qrels: the queries long enough for a cap to bite.
  The query shares no sentence with its answer: it has to find the paper's second half through the topic words
  both halves use, so a cap that drops those words loses it.

reverse/  the other direction (an achievement's whole text against short demands):
  achievements.jsonl       the "catalogue": one record per CSL paper whose title or keywords are known: the 1,000 dev
                           papers (title + keywords) and the 1,546 train papers (keywords only), id = the paper's
                           abstract id.
  demands.jsonl            one query per dev paper: its whole abstract as description (id r + abstract id).
  judgments.qrels          r<id> 0 <id> 1.

Deterministic: the same inputs give byte-identical files (input order kept, no randomness). Writes are atomic.
"""
import json
import os
import re
import sys

LONG = 200

# Sentence ends: Chinese full stops and semicolons, '!' '?', and a '.' that is not a decimal point (CSL abstracts
# often end sentences with an ASCII '.').
SENTENCE = re.compile(r'(?<=[。！？；!?;])|(?<=(?<!\d)\.)|(?<=\d\.)(?!\d)')
CLAUSE = re.compile(r'(?<=[，、,：:])')


def pieces(text, pattern):
    return [p for p in pattern.split(text) if p.strip()]


def cut(text):
    """Splits a text in two at the sentence boundary nearest its middle (else the clause boundary); None if none."""
    for pattern in (SENTENCE, CLAUSE):
        parts = pieces(text, pattern)
        if len(parts) < 2:
            continue
        best, best_gap, done = None, None, 0
        for i in range(1, len(parts)):
            done += len(parts[i - 1])
            gap = abs(done - len(text) / 2)
            if best_gap is None or gap < best_gap:
                best, best_gap = i, gap
        head, tail = ''.join(parts[:best]).strip(), ''.join(parts[best:]).strip()
        if head and tail:
            return head, tail
    return None


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(path):
    with open(path, encoding='utf-8') as f:
        return [line.split() for line in f if line.strip()]


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8', newline='\n') as f:
        for line in lines:
            f.write(line + '\n')
    os.replace(tmp, path)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(',', ':'))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    csl, out = os.path.join(sys.argv[1], 'csl'), sys.argv[2]
    achievements = read_jsonl(os.path.join(csl, 'achievements.jsonl'))
    abstract = {a['id']: a['abstract'] for a in achievements}
    titles = {d['id']: d['title'] for d in read_jsonl(os.path.join(csl, 'demands.dev.title.jsonl'))}
    keywords = {d['id']: d['keywords'] for d in read_jsonl(os.path.join(csl, 'demands.dev.keywords.jsonl'))}
    train_keywords = {d['id']: d['keywords'] for d in read_jsonl(os.path.join(csl, 'demands.train.keywords.jsonl'))}
    dev = [(q[0], q[2]) for q in read_qrels(os.path.join(csl, 'judgments.dev.qrels')) if int(q[3]) > 0]
    train = [(q[0], q[2]) for q in read_qrels(os.path.join(csl, 'judgments.train.qrels')) if int(q[3]) > 0]

    # split/
    halves = {a['id']: cut(a['abstract']) for a in achievements}
    corpus = []
    for a in achievements:
        row = {'id': a['id'], 'abstract': halves[a['id']][1] if halves[a['id']] else a['abstract']}
        if a.get('field'):
            row['field'] = a['field']
        corpus.append(dumps(row))
    full, body, qrels, long_demands, long_qrels, skipped = [], [], [], [], [], 0
    for qid, doc in dev:
        if halves.get(doc) is None:
            skipped += 1
            continue
        head = halves[doc][0]
        full.append(dumps({'id': qid, 'title': titles[qid], 'keywords': keywords[qid], 'description': head}))
        body.append(dumps({'id': qid, 'description': head}))
        qrels.append(f'{qid} 0 {doc} 1')
        if len(titles[qid]) + len(''.join(keywords[qid])) + len(head) >= LONG:
            long_demands.append(full[-1])
            long_qrels.append(qrels[-1])
    write(os.path.join(out, 'split', 'achievements.jsonl'), corpus)
    write(os.path.join(out, 'split', 'demands.full.jsonl'), full)
    write(os.path.join(out, 'split', 'demands.body.jsonl'), body)
    write(os.path.join(out, 'split', 'judgments.qrels'), qrels)
    write(os.path.join(out, 'split', 'demands.long.jsonl'), long_demands)
    write(os.path.join(out, 'split', 'judgments.long.qrels'), long_qrels)

    # reverse/
    catalogue, seen = [], set()
    for qid, doc in dev:
        catalogue.append(dumps({'id': doc, 'title': titles[qid], 'keywords': keywords[qid]}))
        seen.add(doc)
    for qid, doc in train:
        if doc not in seen:
            catalogue.append(dumps({'id': doc, 'keywords': train_keywords[qid]}))
            seen.add(doc)
    queries = [dumps({'id': 'r' + doc, 'description': abstract[doc]}) for _, doc in dev]
    write(os.path.join(out, 'reverse', 'achievements.jsonl'), catalogue)
    write(os.path.join(out, 'reverse', 'demands.jsonl'), queries)
    write(os.path.join(out, 'reverse', 'judgments.qrels'), [f'r{doc} 0 {doc} 1' for _, doc in dev])

    lengths = sorted(len(json.loads(line).get('title', '')) + len(''.join(json.loads(line).get('keywords', [])))
                     + len(json.loads(line)['description']) for line in full)
    sys.stderr.write(f'split: {len(corpus)} achievements, {len(full)} demands ({skipped} dev papers not cut), '
                     f'demand text median {lengths[len(lengths) // 2]} characters, {len(long_demands)} of at least {LONG}; '
                     f'reverse: {len(catalogue)} records, {len(queries)} abstracts as queries\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
