#!/usr/bin/env python3
"""Live-preview latency: how long after a page edit `docask serve --watch` serves it.

DESIGN.md "Budgets": a page edit under `--watch` visible within 300 ms on a
1,000-page site. This copies a content folder to a scratch folder, serves it with
`--watch`, and then, edit after edit, appends a paragraph with a fresh marker to a
page and polls the page's URL until the marker is in the HTML. It reports the
median, p90 and worst latency of text edits (the incremental path) and of title
edits (which change every page's sidebar, so the whole site is rebuilt).

Only the standard library is used. Progress goes to stderr; the Markdown report to
stdout.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def log(msg):
    print(f"[watch] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_until(port, path, needle, limit):
    """Polls every millisecond until `needle` is served at `path`; seconds taken."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            status, body = get(port, path)
            if status == 200 and needle in body:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.001)
    raise SystemExit(f"watch.py: `{needle}` did not appear at {path} within {limit} s")


def pick_pages(content, count):
    """Pages (not README, not SUMMARY) with their clean URLs, spread over the site."""
    pages = sorted(
        p for p in content.rglob("*.md")
        if p.name not in ("SUMMARY.md", "README.md") and not any(part.startswith(".") for part in p.parts)
    )
    step = max(1, len(pages) // count)
    chosen = pages[::step][:count]
    return [(p, "/" + p.relative_to(content).with_suffix("").as_posix()) for p in chosen]


def measure(port, edits, make_edit, limit):
    times = []
    for n, (file, url) in enumerate(edits):
        marker = f"watchmark{n}x{int(time.time() * 1000)}"
        text = file.read_text()
        start = time.monotonic()
        file.write_text(make_edit(text, marker))
        waited = wait_until(port, url, marker, limit)
        times.append(time.monotonic() - start if waited else waited)
        time.sleep(0.3)  # let the watcher go idle, as between a writer's saves
    return times


def append_paragraph(text, marker):
    return text + f"\n\nEdited paragraph {marker}.\n"


def retitle(text, marker):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i] = f"# {line[2:]} {marker}"
            return "\n".join(lines) + "\n"
    return f"# Page {marker}\n\n" + text


def row(name, times):
    ms = sorted(t * 1000 for t in times)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"| {name} | {len(ms)} | {statistics.median(ms):.0f} | {p90:.0f} | {ms[-1]:.0f} |"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--content", required=True, help="content folder to copy and serve (e.g. a generated corpus)")
    ap.add_argument("--docask", default=str(REPO / "target/release/docask"), help="docask binary")
    ap.add_argument("--edits", type=int, default=20, help="text edits to time (default: 20)")
    ap.add_argument("--title-edits", type=int, default=5, help="title edits to time (default: 5)")
    args = ap.parse_args()
    source = Path(args.content)
    if not (source / "SUMMARY.md").is_file() and not source.is_dir():
        ap.error(f"not a content folder: {source}")

    with tempfile.TemporaryDirectory(prefix="docask-watch-") as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(source, content)
        pages = len([p for p in content.rglob("*.md") if p.name != "SUMMARY.md"])
        port = free_port()
        cmd = [args.docask, "serve", "--content", str(content), "--out", str(Path(scratch) / "public"),
               "--addr", f"127.0.0.1:{port}", "--watch"]
        log(f"serving {pages} pages with --watch on port {port}")
        server_log = open(Path(scratch) / "serve.log", "w+")
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=server_log, env={**os.environ, "RUST_LOG": "warn"})
        try:
            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None:
                    server_log.seek(0)
                    raise SystemExit(f"watch.py: the server exited: {server_log.read()}")
                try:
                    if get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("watch.py: the server did not start within 120 s")
                time.sleep(0.05)
            time.sleep(0.5)
            text = measure(port, pick_pages(content, args.edits), append_paragraph, 10)
            titles = measure(port, pick_pages(content, args.title_edits), retitle, 20) if args.title_edits else []
        finally:
            server.terminate()
            server.wait(timeout=30)

    version = subprocess.run([args.docask, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# docask --watch latency ({version}, {pages} pages, {os.cpu_count()} cores)\n")
    print("From the write of a page to the first GET that serves the change, polled every millisecond.\n")
    print("| edit | edits | median ms | p90 ms | worst ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(row("text of one page", text))
    if titles:
        print(row("page title (whole site rebuilt)", titles))


if __name__ == "__main__":
    main()
