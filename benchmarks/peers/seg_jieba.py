#!/usr/bin/python3
"""Python jieba (Debian python3-jieba) on the common segmentation input.

usage: /usr/bin/python3 seg_jieba.py LINES TOKENS_OUT [--rounds 3]

Precise mode with HMM (jieba.lcut(line, HMM=True)), one thread, warm (dictionary loaded and one full
pass first). Prints one JSON result line (same fields as Matching.Peers) and writes the tokens of
every line as JSON arrays to TOKENS_OUT.
"""
import json
import logging
import sys
import time

import jieba


def load_avg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main(argv):
    lines_path, tokens_out = argv[1], argv[2]
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 3
    with open(lines_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    jieba.setLogLevel(logging.WARNING)
    start = time.perf_counter()
    jieba.initialize()
    jieba.lcut("预热", HMM=True)
    load_s = time.perf_counter() - start

    def one_pass():
        tokens = 0
        for line in lines:
            tokens += len(jieba.lcut(line, HMM=True))
        return tokens

    one_pass()  # warm-up pass
    walls, cpus, thread_cpus = [], [], []
    for _ in range(rounds):
        cpu, thread, wall = time.process_time(), time.thread_time(), time.perf_counter()
        one_pass()
        walls.append(round(time.perf_counter() - wall, 6))
        cpus.append(round(time.process_time() - cpu, 6))
        thread_cpus.append(round(time.thread_time() - thread, 6))

    print(json.dumps({
        "kind": "seg",
        "peer": f"Python jieba {jieba.__version__} lcut(HMM=True), CPython {sys.version.split()[0]}",
        "key": "python.jieba",
        "lines": len(lines),
        "chars": sum(len(line) for line in lines),
        "wall_s": walls,
        "cpu_s": cpus,
        "thread_cpu_s": thread_cpus,
        "load_s": round(load_s, 3),
        "load_avg": load_avg(),
    }, ensure_ascii=False), flush=True)

    with open(tokens_out, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(jieba.lcut(line, HMM=True), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv)
