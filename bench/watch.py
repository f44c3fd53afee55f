#!/usr/bin/env python3
"""Live-preview latency: how long after a page edit `docask serve --watch` serves it.

DESIGN.md "Budgets": a page edit under `--watch` visible within 300 ms on a
1,000-page site. This copies a content folder to a scratch folder, serves it with
`--watch`, and then, edit after edit, appends a paragraph with a fresh marker to a
page and polls until the page's URL serves the marker and until the server's build
status changes (the moment open pages are told to reload, after the index too is
updated). It reports the median, p90 and worst of both for text edits (the page
patched in place) and title edits (a title shows on other pages: the pages showing
it are rendered again, the files that changed replaced in place).

Only the standard library is used. Progress goes to stderr; the Markdown report to
stdout.
"""

import argparse
import http.client
import json
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


def status(port):
    try:
        code, body = get(port, "/_docask/status")
        return json.loads(body).get("build") if code == 200 else None
    except (OSError, ValueError):
        return None


def wait_for_edit(port, path, needle, build, limit):
    """Polls every millisecond; seconds until `needle` is served at `path` and
    until the build status moves on from `build`."""
    start = time.monotonic()
    served = reloaded = None
    while time.monotonic() - start < limit:
        if served is None:
            try:
                code, body = get(port, path)
                if code == 200 and needle in body:
                    served = time.monotonic() - start
            except OSError:
                pass
        if reloaded is None and status(port) not in (None, build):
            reloaded = time.monotonic() - start
        if served is not None and reloaded is not None:
            return served, reloaded
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
    # The clean URL the site links to (without the slash it answers with a redirect).
    return [(p, "/" + p.relative_to(content).with_suffix("").as_posix() + "/") for p in chosen]


def measure(port, edits, make_edit, limit):
    served, reloaded = [], []
    for n, (file, url) in enumerate(edits):
        marker = f"watchmark{n}x{int(time.time() * 1000)}"
        text = file.read_text()
        build = status(port)
        file.write_text(make_edit(text, marker))
        s, r = wait_for_edit(port, url, marker, build, limit)
        served.append(s)
        reloaded.append(r)
        time.sleep(0.3)  # let the watcher go idle, as between a writer's saves
    return served, reloaded


def append_paragraph(text, marker):
    return text + f"\n\nEdited paragraph {marker}.\n"


def retitle(text, marker):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i] = f"# {line[2:]} {marker}"
            return "\n".join(lines) + "\n"
    return f"# Page {marker}\n\n" + text


def row(name, until, times):
    ms = sorted(t * 1000 for t in times)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"| {name} | {until} | {len(ms)} | {statistics.median(ms):.0f} | {p90:.0f} | {ms[-1]:.0f} |"


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
            titles = measure(port, pick_pages(content, args.title_edits), retitle, 20) if args.title_edits else None
        finally:
            server.terminate()
            server.wait(timeout=30)

    version = subprocess.run([args.docask, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# docask --watch latency ({version}, {pages} pages, {os.cpu_count()} cores)\n")
    print("From the write of a page, polled every millisecond: until a GET serves the change, and until")
    print("the build status changes (open pages reload then; the index is updated by that time).\n")
    print("| edit | until | edits | median ms | p90 ms | worst ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    print(row("text of one page", "served", text[0]))
    print(row("text of one page", "pages told to reload", text[1]))
    if titles:
        print(row("page title (pages showing it rendered)", "served", titles[0]))
        print(row("page title (pages showing it rendered)", "pages told to reload", titles[1]))


if __name__ == "__main__":
    main()
