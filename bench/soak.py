#!/usr/bin/env python3
"""Soak test driver for `docask serve --watch` (run by bench/soak.sh).

Sends mixed traffic for --minutes: pages, Markdown twins, new and repeated asks,
404s, MCP tool calls, and slow clients (a request head sent a byte at a time, a
response read a byte at a time), while an editor thread edits pages every few
seconds (text edits, which are patched in; title edits, which rebuild; and broken
edits, fixed on the next round). It records every request's route, status and
latency, and samples the server's resident memory and open file descriptors.

No error is allowed for a valid request: pages, twins and asks must answer 200,
404s 404, MCP calls 200 with a JSON-RPC result. Slow clients may be cut off by the
server (that is its header timeout working); they are reported, not counted as
errors.

Writes a Markdown report (stdout) and a JSON file with every per-minute figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

QUESTIONS = [
    "how do I install it",
    "how do I send a message",
    "what is a queue",
    "how do I configure authentication",
    "what are the limits",
    "how do I delete a channel",
    "how do I monitor the cluster",
    "what ports does it use",
]
WORDS = "token queue channel cluster message event store subscribe publish retry timeout config".split()


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, int, float]] = []  # (t, route, status, ms)
        self.errors: list[str] = []
        self.slow: dict[str, int] = defaultdict(int)

    def add(self, route: str, status: int, ms: float, ok: bool, what: str) -> None:
        with self.lock:
            self.samples.append((time.time(), route, status, ms))
            if not ok:
                self.errors.append(f"{time.strftime('%H:%M:%S')} {route} {status} {what}")


def pages_of(site: Path) -> list[str]:
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    urls = re.findall(r"\]\((/[^)]*?\.md)\)", llms)
    return [u for u in urls if u != "/index.md"]


def traffic(host: str, port: int, pages: list[str], rec: Recorder, stop: threading.Event, seed: int) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        page = rnd.choice(pages)
        roll = rnd.random()
        headers = {}
        if roll < 0.35:
            route, path, want = "page", page[:-3] + "/", 200
            if rnd.random() < 0.5:
                headers["Accept-Encoding"] = "gzip, br"
        elif roll < 0.55:
            route, path, want = "twin", page, 200
        elif roll < 0.65:
            q = rnd.choice(QUESTIONS)
            route, path, want = "ask-repeated", f"{page}?ask={urllib.parse.quote(q)}", 200
        elif roll < 0.75:
            q = f"{rnd.choice(QUESTIONS)} {rnd.choice(WORDS)} {rnd.randrange(10**9)}"
            route, path, want = "ask-new", f"{page}?ask={urllib.parse.quote(q)}&format=json", 200
        elif roll < 0.85:
            junk = "".join(rnd.choice("abcdefgh-/") for _ in range(rnd.randrange(5, 300)))
            route, path, want = "404", f"/no-such/{junk}.md", 404
        else:
            route, path, want = "mcp", None, 200
        start = time.perf_counter()
        try:
            if path is None:
                tool, q = rnd.choice(["search", "ask"]), rnd.choice(QUESTIONS)
                arguments = {"query": q} if tool == "search" else {"question": q}
                body = json.dumps({"jsonrpc": "2.0", "id": n, "method": "tools/call",
                                   "params": {"name": tool, "arguments": arguments}})
                conn.request("POST", "/mcp", body=body, headers={
                    "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                    "MCP-Protocol-Version": "2025-11-25"})
            else:
                conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            ms = (time.perf_counter() - start) * 1000
            ok = resp.status == want
            if ok and route == "mcp":
                reply = json.loads(data)
                ok = "result" in reply and not reply["result"].get("isError", False)
            rec.add(route, resp.status, ms, ok, path or "/mcp")
        except Exception as e:  # noqa: BLE001 - every failure is recorded
            ms = (time.perf_counter() - start) * 1000
            rec.add(route, 0, ms, False, f"{path}: {e!r}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)


def slow_client(host: str, port: int, pages: list[str], rec: Recorder, stop: threading.Event, seed: int) -> None:
    rnd = random.Random(seed)
    while not stop.is_set():
        page = rnd.choice(pages)
        kind = rnd.choice(["slow-head", "slow-read"])
        try:
            s = socket.create_connection((host, port), timeout=60)
            head = f"GET {page} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
            if kind == "slow-head":
                for b in head:
                    if stop.is_set():
                        break
                    s.sendall(bytes([b]))
                    time.sleep(0.5)
            else:
                s.sendall(head)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
                while not stop.is_set() and s.recv(64):
                    time.sleep(0.05)
            s.recv(1)
            rec.slow[f"{kind} finished"] += 1
        except Exception:  # noqa: BLE001
            rec.slow[f"{kind} cut off"] += 1
        finally:
            try:
                s.close()
            except Exception:  # noqa: BLE001
                pass


def editor(content: Path, rec: Recorder, stop: threading.Event, every: float, seed: int) -> None:
    rnd = random.Random(seed)
    files = sorted(p for p in content.rglob("*.md") if p.name not in ("SUMMARY.md",) and not any(
        part.startswith(".") for part in p.relative_to(content).parts))
    originals = {p: p.read_text(encoding="utf-8") for p in files}
    broken: Path | None = None
    n = 0
    while not stop.wait(every):
        n += 1
        if broken is not None:
            broken.write_text(originals[broken] + f"\n\nFixed at edit {n}.\n", encoding="utf-8")
            rec.slow["edits: fixed"] += 1
            broken = None
            continue
        page = rnd.choice(files)
        text = originals[page]
        if n % 7 == 0:
            broken = page
            page.write_text(text + "\n\n{% hint style=\"info\" %}\nnever closed\n", encoding="utf-8")
            rec.slow["edits: broken"] += 1
        elif n % 5 == 0 and text.lstrip().startswith("#"):
            page.write_text(re.sub(r"^(\s*#[^\n]*)", rf"\1 (rev {n})", text, count=1), encoding="utf-8")
            rec.slow["edits: title (rebuild)"] += 1
        else:
            page.write_text(text + f"\n\nSoak edit {n}: {rnd.choice(WORDS)} {rnd.choice(WORDS)}.\n", encoding="utf-8")
            rec.slow["edits: text (patch)"] += 1
    for p, t in originals.items():
        p.write_text(t, encoding="utf-8")


def process_stats(pid: int) -> tuple[float, int]:
    rss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds


def report(rec: Recorder, stats: list[tuple[float, float, int]], t0: float, minutes: float) -> dict:
    by_minute: dict[tuple[int, str], list[float]] = defaultdict(list)
    totals: dict[str, list[float]] = defaultdict(list)
    for t, route, status, ms in rec.samples:
        by_minute[(int((t - t0) // 60), route)].append(ms)
        totals[route].append(ms)
    routes = sorted(totals)
    p = lambda xs, q: statistics.quantiles(xs, n=100)[q - 1] if len(xs) >= 100 else max(xs)  # noqa: E731
    out = {"routes": {}, "minutes": [], "memory": [], "errors": rec.errors[:50], "error_count": len(rec.errors),
           "other": dict(rec.slow)}
    print(f"# Soak: {minutes:g} minutes of mixed traffic against `serve --watch`\n")
    print(f"Requests: {len(rec.samples)}; errors on valid requests: {len(rec.errors)}\n")
    print("| route | requests | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |")
    for r in routes:
        xs = totals[r]
        row = {"n": len(xs), "p50": statistics.median(xs), "p99": p(xs, 99), "max": max(xs)}
        out["routes"][r] = row
        print(f"| {r} | {row['n']} | {row['p50']:.2f} | {row['p99']:.2f} | {row['max']:.1f} |")
    print("\np99 (ms) per route, per 5 minutes:\n")
    print("| minutes | " + " | ".join(routes) + " |\n| --- |" + " --- |" * len(routes))
    last = int(minutes)
    for start in range(0, max(last, 1), 5):
        cells = []
        for r in routes:
            xs = [ms for m in range(start, start + 5) for ms in by_minute.get((m, r), [])]
            cells.append(f"{p(xs, 99):.1f}" if xs else "-")
        out["minutes"].append({"from": start, "p99": dict(zip(routes, cells))})
        print(f"| {start}-{start + 5} | " + " | ".join(cells) + " |")
    print("\nResident memory (MB) and open file descriptors of the server:\n")
    print("| minute | RSS MB | fds |\n| --- | --- | --- |")
    marks = sorted({0.5, 1, 2, 5} | set(range(10, int(minutes) + 1, 5)))
    for m in marks:
        near = [s for s in stats if s[0] - t0 <= m * 60]
        if near:
            _, rss, fds = near[-1]
            out["memory"].append({"minute": m, "rss_mb": rss, "fds": fds})
            print(f"| {m:g} | {rss:.1f} | {fds} |")
    rss_all = [s[1] for s in stats if s[0] - t0 > 120]
    if rss_all:
        print(f"\nAfter the first 2 minutes: RSS min {min(rss_all):.1f} MB, max {max(rss_all):.1f} MB, "
              f"last {rss_all[-1]:.1f} MB; fds max {max(s[2] for s in stats)}.")
    print("\nOther: " + ", ".join(f"{k} {v}" for k, v in sorted(rec.slow.items())))
    if rec.errors:
        print("\nFirst errors:\n")
        for e in rec.errors[:20]:
            print(f"- {e}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--content", type=Path, required=True)
    ap.add_argument("--site", type=Path, required=True, help="the output folder (for the page list)")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--slow-clients", type=int, default=4)
    ap.add_argument("--edit-every", type=float, default=3.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    pages = pages_of(args.site)
    rec, stop = Recorder(), threading.Event()
    threads = [threading.Thread(target=traffic, args=("127.0.0.1", args.port, pages, rec, stop, i), daemon=True)
               for i in range(args.clients)]
    threads += [threading.Thread(target=slow_client, args=("127.0.0.1", args.port, pages, rec, stop, 100 + i),
                                 daemon=True) for i in range(args.slow_clients)]
    threads.append(threading.Thread(target=editor, args=(args.content, rec, stop, args.edit_every, 7)))
    t0 = time.time()
    for t in threads:
        t.start()
    stats: list[tuple[float, float, int]] = []
    while time.time() - t0 < args.minutes * 60:
        rss, fds = process_stats(args.pid)
        stats.append((time.time(), rss, fds))
        time.sleep(5)
    stop.set()
    for t in threads:
        t.join(timeout=70)
    out = report(rec, stats, t0, args.minutes)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 1 if rec.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
