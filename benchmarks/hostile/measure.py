#!/usr/bin/env python3
"""Runs `matching match` on each hostile input of make_hostile.py under `/usr/bin/time -v` and prints wall time, peak
RSS (time's "Maximum resident set size"), exit code and the last line of stderr, as a Markdown table (benchmarks/README.md,
"Hostile sizes").

    python3 benchmarks/hostile/measure.py IN_DIR CLI_DLL [TIMEOUT_S] [RSS_CAP_GB] [extra match options...]

A run is killed (SIGKILL) after TIMEOUT_S seconds (default 120) or once its RSS passes RSS_CAP_GB (default 10), so
the machine survives a build without the limits; time still reports the peak of a killed run.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMANDS = os.path.join(ROOT, "data", "sample", "demands.csv")
CASES = [
    ("zip bomb: one cell inflating to 100M characters (.xlsx, 345 KB)", "bomb.xlsx"),
    ("20M-character field without punctuation (.csv)", "long20m.csv"),
    ("18M-character field with punctuation (.csv)", "long18m-punct.csv"),
    ("header of 1M named columns (.csv, 8 MB)", "header1m.csv"),
    ("10^6 tiny parts (.xlsx, 92 MB)", "parts1m.xlsx"),
    ("JSONL line nested 10^6 deep", "deep.jsonl"),
    ("billion laughs (DTD in the sheet XML)", "laughs.xlsx"),
    ("password-protected workbook (OLE, EncryptedPackage)", "encrypted.xlsx"),
    ("binary .xls", "legacy.xls"),
    ("binary .xls renamed .xlsx", "legacy-renamed.xlsx"),
    ("macros-only .xlsm", "macros.xlsm"),
]


def kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else None
    except OSError:
        return None


def run(args, timeout, cap_kib):
    err = tempfile.TemporaryFile()
    stats = tempfile.NamedTemporaryFile(mode="r", suffix=".time")
    start = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-v", "-o", stats.name, *args], stdout=subprocess.DEVNULL, stderr=err)
    killed = None
    while p.poll() is None:
        child = child_of(p.pid)
        hwm = kib(child, "VmHWM") if child else None
        if hwm and hwm > cap_kib:
            killed = f"killed at {hwm / 1048576:.1f} GiB"
        elif time.monotonic() - start > timeout:
            killed = f"killed after {timeout:.0f} s"
        if killed and child:
            os.kill(child, signal.SIGKILL)
            p.wait()
            break
        time.sleep(0.05)
    p.wait()
    report = stats.read()
    wall = next((l.split(": ")[-1] for l in report.splitlines() if "Elapsed (wall clock)" in l), "?")
    peak = int(next((l.split(": ")[-1] for l in report.splitlines() if "Maximum resident set size" in l), "0"))
    code = next((l.split(": ")[-1] for l in report.splitlines() if "Exit status" in l), str(p.returncode))
    err.seek(0)
    lines = [l for l in err.read().decode("utf-8", "replace").splitlines() if l.strip() and not l.startswith("Command ")]
    return wall, peak, code, killed, lines[-1] if lines else ""


def main():
    folder, dll = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120
    cap = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    extra = sys.argv[5:]
    print("| input | wall | peak RSS | exit | stderr (last line) |")
    print("|---|---|---|---|---|")
    for name, file in CASES:
        path = os.path.join(folder, file)
        if not os.path.exists(path):
            continue
        out = tempfile.mkdtemp()
        args = ["dotnet", dll, "match", "-a", path, "-d", DEMANDS, "--out", out, *extra]
        wall, peak, code, killed, last = run(args, timeout, cap * 1048576)
        last = last.replace("|", "\\|")
        if len(last) > 160:
            last = last[:157] + "..."
        print(f"| {name} | {wall} | {peak / 1024:.0f} MiB | {killed or code} | {last} |", flush=True)


if __name__ == "__main__":
    main()
