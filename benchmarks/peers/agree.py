#!/usr/bin/python3
"""Share of lines whose token sequences agree exactly.

usage: python3 agree.py REFERENCE_TOKENS OTHER_TOKENS NAME_REF NAME_OTHER

Both files: one JSON array of tokens a line (as the seg scripts write them). Every token counts,
punctuation and whitespace included. Prints one JSON result line; also the token-level F1 of OTHER
against REFERENCE (word boundaries as character spans), which says how far apart the differing lines are.
"""
import json
import sys


def spans(tokens):
    out, pos = set(), 0
    for t in tokens:
        out.add((pos, pos + len(t)))
        pos += len(t)
    return out


def main(ref_path, other_path, ref_name, other_name):
    lines = agree = 0
    tp = n_ref = n_other = 0
    with open(ref_path, encoding="utf-8") as a, open(other_path, encoding="utf-8") as b:
        for la, lb in zip(a, b, strict=True):
            ta, tb = json.loads(la), json.loads(lb)
            lines += 1
            agree += ta == tb
            sa, sb = spans(ta), spans(tb)
            tp += len(sa & sb)
            n_ref += len(sa)
            n_other += len(sb)
    p, r = tp / n_other, tp / n_ref
    print(json.dumps({
        "kind": "seg-agreement",
        "a": ref_name,
        "b": other_name,
        "lines": lines,
        "agree": agree,
        "token_f1": round(2 * p * r / (p + r), 6),
    }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
