#!/usr/bin/env python3
"""Builds an event-like training set from the CSL abstracts (Apache-2.0) in Matching's dataset format.

    benchmarks/quality/event-like.py DATA_DIR OUT_DIR [COUNT] [SEED] [KIND]

At an event an enterprise describes its need in a long paragraph wrapped in boilerplate (我公司…, 希望与高校合作…),
while the answering achievement is an abstract that shares the topic's vocabulary but not its sentences. CSL has
short queries only (keywords, titles), so a ranker and a strength calibration trained on it alone meet a different
kind of query at an event. This script constructs such pairs from abstracts that no CSL judgment uses (neither the
train nor the dev qrels, so the dev sets stay held out):

- the demand's title is the first clause of the abstract's first sentence (at most 30 characters);
- its description is an enterprise opening, one to three middle sentences of the abstract, and an enterprise ask;
- the achievement is the abstract with those middle sentences removed (so the description shares no sentence with
  it, while the title, like an event demand's title, names the topic in the achievement's own words);
- every other abstract of the CSL corpus stays in the catalogue unchanged, as distractors.

KIND "title" (default "event") builds title-like queries instead: the demand is only the first clause of the
abstract's first sentence (at most 40 characters) and the achievement is the abstract without that sentence — a
stand-in for the paper-title queries of CSL dev, which CSL train lacks.

Writes OUT_DIR/achievements.jsonl (the whole CSL catalogue, the COUNT answers shortened), demands.jsonl and
judgments.qrels (one relevant achievement per demand). Deterministic for a SEED (default 1); COUNT default 1500.
"""
import json
import os
import random
import re
import sys

OPENINGS = ["我公司", "本企业", "我单位", "公司目前", "我司在生产中发现", "企业现有产线"]
ASKS = [
    "希望与高校合作开发相关技术，实现产业化应用。",
    "寻求成熟技术转让或联合攻关。",
    "拟委托研发，预算可面议。",
    "希望引进相关成果并开展中试验证。",
    "欢迎具备相关技术的高校和科研院所对接。",
]


def sentences(text):
    parts = re.split(r"(?<=[。；;！？!?])|(?<=\.)(?=[^0-9])", text)
    return [p.strip() for p in parts if len(p.strip()) >= 8]


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    data, out = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    kind = sys.argv[5] if len(sys.argv) > 5 else "event"
    if kind not in ("event", "title"):
        print(f"KIND must be event or title, not {kind}", file=sys.stderr)
        return 2
    csl = os.path.join(data, "csl")
    used = set()
    for qrels in ("judgments.train.qrels", "judgments.dev.qrels"):
        with open(os.path.join(csl, qrels), encoding="utf-8") as f:
            used.update(line.split()[2] for line in f if line.strip())
    with open(os.path.join(csl, "achievements.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]

    rng = random.Random(seed)
    eligible = [r for r in records if r["id"] not in used and len(sentences(r.get("abstract", ""))) >= 4]
    eligible.sort(key=lambda r: r["id"])
    chosen = rng.sample(eligible, min(count, len(eligible)))
    changed, demands, qrels = {}, [], []
    for i, record in enumerate(sorted(chosen, key=lambda r: r["id"])):
        parts = sentences(record["abstract"])
        demand_id = f"ev{i:05d}" if kind == "event" else f"ti{i:05d}"
        if kind == "title":
            demands.append({"id": demand_id, "title": re.split(r"[，,：:；;。]", parts[0])[0][:40]})
            qrels.append(f"{demand_id} 0 {record['id']} 1")
            changed[record["id"]] = "".join(parts[1:])
            continue
        title = re.split(r"[，,：:；;。]", parts[0])[0][:30]
        # One to three consecutive middle sentences, always leaving the achievement at least two.
        take = rng.randint(1, min(3, len(parts) - 3))
        start = rng.randrange(1, len(parts) - take)
        middle = set(range(start, start + take))
        description = rng.choice(OPENINGS) + "需要解决以下问题：" + "".join(parts[k] for k in sorted(middle)) + rng.choice(ASKS)
        changed[record["id"]] = "".join(p for k, p in enumerate(parts) if k not in middle)
        demands.append({"id": demand_id, "title": title, "description": description})
        qrels.append(f"{demand_id} 0 {record['id']} 1")

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "achievements.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            if r["id"] in changed:
                r = dict(r, abstract=changed[r["id"]])
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "demands.jsonl"), "w", encoding="utf-8") as f:
        for d in demands:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "judgments.qrels"), "w", encoding="utf-8") as f:
        f.write("\n".join(qrels) + "\n")
    print(f"{len(demands)} demands, {len(records)} achievements ({len(changed)} shortened) in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
