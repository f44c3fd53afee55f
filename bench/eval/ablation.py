#!/usr/bin/env python3
"""Ask quality over every development set, with every ranking feature, then with each
feature switched off in turn (DOCASK_ASK_OFF, read by the ask engine), as a Markdown
table of hit@1 / hit@3 per set; scored by the shared `ask_eval.py`.

Usage:
  bench/eval/ablation.py --shared SHARED --bin target/release/docask
                         [--features semantic,proximity] [--sets kubemq-dev,...] [--only-all]
SHARED is the folder of the shared material (eval/, corpora/, tools/).

Sets: the shared `eval/*.jsonl` (tokens-dev over this repository's `content/`, kubemq-dev
over `corpora/kubemq-docs`, the others over `corpora/gitbook/<Owner--repo>`) and this
folder's `context.jsonl` (questions asked from a page, over several corpora: each line
names its corpus in `corpus`).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FEATURES = ["semantic", "page_context", "how_to", "title_match", "page_support", "coverage", "page_lift"]
GITBOOK = {
    "axoniq-dev": "AxonIQ--reference-guide",
    "bugsplat-dev": "BugSplat-Git--bugsplat-docs",
    "bugsplat-para-dev": "BugSplat-Git--bugsplat-docs",
    "beefree-dev": "BeefreeSDK--beefree-sdk-docs",
    "arweave-para-dev": "ArweaveTeam--docs.arweave.org-info",
}


def corpus_of(shared: str, name: str) -> str:
    if name == "tokens-dev":
        return os.path.join(REPO, "content")
    if name == "kubemq-dev":
        return os.path.join(shared, "corpora", "kubemq-docs")
    return os.path.join(shared, "corpora", "gitbook", GITBOOK[name])


def sets(shared: str, wanted: list) -> list:
    """(name, corpus, questions file) of every set; context.jsonl split by corpus."""
    out = []
    for f in sorted(os.listdir(os.path.join(shared, "eval"))):
        name = f[: -len(".jsonl")]
        if f.endswith(".jsonl") and (not wanted or name in wanted):
            out.append((name, corpus_of(shared, name), os.path.join(shared, "eval", f)))
    context = os.path.join(HERE, "context.jsonl")
    if os.path.exists(context) and (not wanted or "context" in wanted):
        out.append(("context", None, context))
    return out


def run(ask_eval: str, binary: str, corpus: str, questions: str, off: str) -> dict:
    env = dict(os.environ, DOCASK_ASK_OFF=off)
    done = subprocess.run([sys.executable, ask_eval, "--bin", binary, "--content", corpus, "--questions", questions],
                          capture_output=True, text=True, env=env, timeout=3600)
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    m = re.search(r"hit@1=([\d.]+) hit@3=([\d.]+) mrr=([\d.]+) facts=(\d+)/(\d+) unanswerable_declined=(\d+)/(\d+) n=(\d+)",
                  line)
    if not m:
        raise RuntimeError(f"ask_eval failed on {questions}: {done.stdout[-500:]} {done.stderr[-500:]}")
    g = m.groups()
    return {"hit1": float(g[0]), "hit3": float(g[1]), "mrr": float(g[2]), "facts": int(g[3]), "fact_n": int(g[4]),
            "declined": int(g[5]), "unanswerable": int(g[6]), "n": int(g[7])}


def score(ask_eval: str, binary: str, shared: str, name: str, corpus, questions: str, off: str) -> dict:
    if corpus is not None:
        return run(ask_eval, binary, corpus, questions, off)
    # context.jsonl: one run per corpus, pooled.
    by_corpus = {}
    for line in open(questions):
        if line.strip():
            case = json.loads(line)
            by_corpus.setdefault(case["corpus"], []).append(line)
    total = {"hit1": 0.0, "hit3": 0.0, "mrr": 0.0, "facts": 0, "fact_n": 0, "declined": 0, "unanswerable": 0, "n": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for c, lines in sorted(by_corpus.items()):
            path = os.path.join(tmp, "q.jsonl")
            with open(path, "w") as f:
                f.writelines(lines)
            r = run(ask_eval, binary, corpus_of(shared, c), path, off)
            for k in ("hit1", "hit3", "mrr"):
                total[k] += r[k] * r["n"]
            for k in ("facts", "fact_n", "declined", "unanswerable", "n"):
                total[k] += r[k]
    for k in ("hit1", "hit3", "mrr"):
        total[k] = total[k] / max(total["n"], 1)
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--features", default=",".join(FEATURES))
    ap.add_argument("--sets", default="")
    ap.add_argument("--only-all", action="store_true", help="only the run with every feature")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-hit1", type=float, default=0.0,
                    help="exit 1 when a set's hit@1 with every feature is below this")
    args = ap.parse_args()
    ask_eval = os.path.join(args.shared, "tools", "ask_eval.py")
    chosen = sets(args.shared, [s for s in args.sets.split(",") if s])
    configs = [("all", "")] + ([] if args.only_all else [(f"with {f[1:]}" if f.startswith("+") else f"no {f}", f) for f in args.features.split(",") if f])
    jobs = [(c, s) for c in configs for s in chosen]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda j: score(ask_eval, args.bin, args.shared, j[1][0], j[1][1], j[1][2], j[0][1]),
                                jobs))
    table = {(c[0], s[0]): r for (c, s), r in zip(jobs, results)}
    print("| config | " + " | ".join(s[0] for s in chosen) + " | mean hit@1 |")
    print("| --- | " + " | ".join("---" for _ in chosen) + " | --- |")
    for c, _ in configs:
        cells = [f"{table[(c, s[0])]['hit1']:.2f}/{table[(c, s[0])]['hit3']:.2f}" for s in chosen]
        mean = sum(table[(c, s[0])]["hit1"] for s in chosen) / len(chosen)
        print(f"| {c} | " + " | ".join(cells) + f" | {mean:.3f} |")
    print()
    print("with every feature (MRR, facts, unanswerable declined):")
    for s in chosen:
        r = table[("all", s[0])]
        print(f"- {s[0]}: hit@1 {r['hit1']:.2f} hit@3 {r['hit3']:.2f} mrr {r['mrr']:.2f} "
              f"facts {r['facts']}/{r['fact_n']} declined {r['declined']}/{r['unanswerable']} (n={r['n']})")
    below = [s[0] for s in chosen if table[("all", s[0])]["hit1"] < args.min_hit1]
    if below:
        print(f"hit@1 below {args.min_hit1}: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
