#!/usr/bin/env python3
"""The direct answers over every development set: how many answerable questions get one,
how many unanswerable ones are declined (`answer: null`), and how many answers hold the
fact asked for (the set's `fact` regex), per set and in total, with floors for CI.

Usage:
  bench/eval/answers.py --shared SHARED --bin target/release/docask
                        [--sets axoniq-dev,...] [--min-answered 0.85] [--min-facts 0.30]
                        [--min-declined 0.65] [--verbose]
SHARED is the folder of the shared material (eval/, corpora/, tools/).

Each corpus is built once into a temporary folder; every question is asked with
`docask ask --out DIR --json` (with `--page` when the case names one). Sets and corpora
are those of ablation.py. `--verbose` prints every answer that misses its fact.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ablation import sets  # noqa: E402  (the same sets and corpora)


def ask(binary: str, out: str, case: dict) -> dict:
    args = [binary, "ask", "--out", out, "--json", case["q"]]
    if case.get("page"):
        args[4:4] = ["--page", case["page"]]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"docask ask failed on {case['q']!r}: {done.stderr[-500:]}")
    return json.loads(done.stdout)


def tally(binary: str, corpus: str, questions: str, verbose: bool) -> dict:
    cases = [json.loads(line) for line in open(questions) if line.strip()]
    with tempfile.TemporaryDirectory() as out:
        built = subprocess.run([binary, "build", "--content", corpus, "--out", out, "-q"], capture_output=True,
                               text=True, timeout=1800)
        if built.returncode != 0:
            raise RuntimeError(f"docask build failed on {corpus}: {built.stderr[-500:]}")
        with ThreadPoolExecutor(2) as pool:
            responses = list(pool.map(lambda c: ask(binary, out, c), cases))
    t = {"answerable": 0, "answered": 0, "unanswerable": 0, "declined": 0, "fact_n": 0, "facts": 0}
    for case, r in zip(cases, responses):
        text = r["answer"]["markdown"] if r["answer"] else ""
        if case.get("unanswerable"):
            t["unanswerable"] += 1
            t["declined"] += not r["answer"]
        else:
            t["answerable"] += 1
            t["answered"] += bool(r["answer"])
        if case.get("fact"):
            t["fact_n"] += 1
            hit = re.search(case["fact"], text) is not None
            t["facts"] += hit
            if verbose and not hit:
                print(f"  FACT {case['q'][:90]!r} lacks /{case['fact']}/: {text[:160]!r}")
    return t


def share(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sets", default="")
    ap.add_argument("--min-answered", type=float, default=0.0, help="share of answerable questions answered")
    ap.add_argument("--min-facts", type=float, default=0.0, help="share of fact questions whose answer holds it")
    ap.add_argument("--min-declined", type=float, default=0.0, help="share of unanswerable questions declined")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    chosen = [s for s in sets(args.shared, [s for s in args.sets.split(",") if s]) if s[1] is not None]
    total = {}
    print("| set | answered | declined | facts |")
    print("| --- | --- | --- | --- |")
    for name, corpus, questions in chosen:
        t = tally(args.bin, corpus, questions, args.verbose)
        print(f"| {name} | {t['answered']}/{t['answerable']} | {t['declined']}/{t['unanswerable']} "
              f"| {t['facts']}/{t['fact_n']} |")
        for k, v in t.items():
            total[k] = total.get(k, 0) + v
    print(f"| all | {total['answered']}/{total['answerable']} | {total['declined']}/{total['unanswerable']} "
          f"| {total['facts']}/{total['fact_n']} |")
    below = [
        f"{what} {share(a, b):.2f} < {floor}"
        for what, a, b, floor in [
            ("answered", total["answered"], total["answerable"], args.min_answered),
            ("declined", total["declined"], total["unanswerable"], args.min_declined),
            ("facts", total["facts"], total["fact_n"], args.min_facts),
        ]
        if share(a, b) < floor
    ]
    if below:
        print("below the floor: " + "; ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
