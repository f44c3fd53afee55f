"""Protocol tests of docask's MCP server with the official MCP Python SDK as the client.

Both transports are driven the way real clients drive them: `docask mcp` over stdio
(started as a subprocess, as editors do) and `POST /mcp` on `docask serve` over
Streamable HTTP, each with the legacy `initialize` handshake and with the current
protocol's discovery (`mode="auto"`). The bundled `content/` is built into a temporary
folder first.

The binary comes from `DOCASK_BIN`, else the newer of `target/release/docask` and
`target/debug/docask`. Without the `mcp` package the tests are skipped with a message.

Run: `pip install mcp pytest && cargo build && pytest tests/mcp`
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

mcp = pytest.importorskip(
    "mcp", reason="the MCP Python SDK is not installed: `pip install mcp` to run the MCP protocol tests"
)
from mcp import Client, MCPError, StdioServerParameters  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CREATE = "/modules-and-features/settings/api-tokens/create-api-token.md"
DELETE = "/modules-and-features/settings/api-tokens/delete-api-token.md"
TOOLS = {"search", "get_page", "ask", "list_pages"}
TRANSPORTS = ["stdio", "http"]
MODES = ["legacy", "auto"]
TIMEOUT = 30


def find_binary() -> Path:
    if os.environ.get("DOCASK_BIN"):
        return Path(os.environ["DOCASK_BIN"])
    built = [ROOT / "target" / kind / "docask" for kind in ("release", "debug")]
    built = [b for b in built if b.exists()]
    if not built:
        pytest.skip("no docask binary: run `cargo build` or set DOCASK_BIN")
    return max(built, key=lambda b: b.stat().st_mtime)


@pytest.fixture(scope="session")
def docask() -> Path:
    return find_binary()


@pytest.fixture(scope="session")
def site(docask: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    subprocess.run(
        [str(docask), "build", "--content", str(ROOT / "content"), "--out", str(out), "--quiet"],
        check=True,
        timeout=120,
    )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(docask: Path, tmp_path_factory: pytest.TempPathFactory):
    """`docask serve` on a free loopback port; yields its base URL."""
    out = tmp_path_factory.mktemp("served") / "public"
    port = free_port()
    log = open(tmp_path_factory.mktemp("log") / "serve.log", "w+")
    proc = subprocess.Popen(
        [str(docask), "serve", "--content", str(ROOT / "content"), "--out", str(out), "--addr", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"docask serve exited with {proc.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("docask serve did not answer /healthz within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def target(transport: str, request: pytest.FixtureRequest, docask: Path):
    """What `Client` connects to for this transport."""
    if transport == "stdio":
        site = request.getfixturevalue("site")
        return StdioServerParameters(command=str(docask), args=["mcp", "--out", str(site)])
    return request.getfixturevalue("server") + "/mcp"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT))


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def call(client: Client, name: str, arguments: dict) -> tuple[bool, str]:
    """(is_error, text) of a tool call; a JSON-RPC error counts as an error too."""
    try:
        result = await client.call_tool(name, arguments)
    except MCPError as e:
        return True, str(e)
    return bool(result.is_error), text_of(result)


def test_handshake_lists_the_tools_with_schemas_and_annotations(target, mode):
    async def go():
        async with Client(target, mode=mode) as client:
            assert client.server_info is None or client.server_info.name == "docask"
            listed = (await client.list_tools()).tools
            assert {t.name for t in listed} == TOOLS
            for tool in listed:
                assert len(tool.description or "") > 80, tool.name
                schema = tool.input_schema
                assert schema["type"] == "object" and schema["properties"], tool.name
                a = tool.annotations
                assert a.read_only_hint is True and a.idempotent_hint is True, tool.name
                assert a.destructive_hint is False and a.open_world_hint is False, tool.name
            by_name = {t.name: t for t in listed}
            assert by_name["search"].input_schema["required"] == ["query"]
            assert by_name["ask"].input_schema["required"] == ["question"]
            assert by_name["get_page"].input_schema["required"] == ["url_or_path"]

    run(go())


def test_each_tool_answers_from_the_bundled_docs(target, mode):
    async def go():
        async with Client(target, mode=mode) as client:
            err, answer = await call(client, "ask", {"question": "how do I create a token"})
            assert not err, answer
            assert answer.startswith("# how do I create a token\n"), answer
            assert CREATE + "#" in answer, "cites a section of the create page"
            assert "## Excerpts" in answer and "# Sources:" in answer, answer

            err, found = await call(client, "search", {"query": "delete a token", "limit": 3})
            assert not err, found
            items = [line for line in found.splitlines() if line[:1].isdigit()]
            assert len(items) == 3, found
            assert DELETE + "#" in items[0], found
            assert "   > " in found, "each result has an excerpt"

            err, page = await call(client, "get_page", {"url_or_path": CREATE})
            assert not err, page
            assert "\n# Create API tokens\n" in page, page
            assert "Agent Instructions" not in page, "the HTTP footer is stripped"
            # A section URL from search or ask names its page too.
            err, same = await call(client, "get_page", {"url_or_path": items[0].split("](")[1].rstrip(")")})
            assert not err and "\n# Delete API token" in same, same

            err, listing = await call(client, "list_pages", {})
            assert not err, listing
            assert f"]({CREATE}): Add a new API token" in listing, listing
            err, under = await call(client, "list_pages", {"prefix": "/developer-resources"})
            links = [line for line in under.splitlines() if line.startswith("- [")]
            assert not err and links and all("](/developer-resources/" in line for line in links), under

    run(go())


def test_bad_calls_are_errors_and_the_server_keeps_working(target, mode):
    async def go():
        async with Client(target, mode=mode) as client:
            err, text = await call(client, "get_page", {"url_or_path": "/create-api-tokens.md"})
            assert err and "No page at" in text and CREATE in text, text
            bad_calls = [
                ("search", {"query": ""}),
                ("search", {"query": "token", "limit": 500}),
                ("search", {"query": "token", "limit": "many"}),
                ("search", {}),
                ("ask", {"question": "x" * 1001}),
                ("ask", {"question": "how?", "page": "/no/such/page.md"}),
                ("ask", {"question": "how?", "colour": "blue"}),
                ("get_page", {"url_or_path": ""}),
                ("list_pages", {"prefix": 42}),
                ("no_such_tool", {}),
            ]
            for name, arguments in bad_calls:
                err, text = await call(client, name, arguments)
                assert err, f"{name}({arguments}) should fail, got {text}"
            # Punctuation and query syntax are just words.
            err, text = await call(client, "search", {"query": 'token AND "(( ]] *:~^'})
            assert not err, text
            err, text = await call(client, "ask", {"question": "how do I delete a token?"})
            assert not err and DELETE + "#" in text, text

    run(go())


def test_stdio_exits_cleanly_when_the_client_closes_stdin(docask, site):
    proc = subprocess.Popen(
        [str(docask), "mcp", "--out", str(site)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    proc.stdin.write((json.dumps(init) + "\n").encode())
    proc.stdin.flush()
    reply = json.loads(proc.stdout.readline())
    assert reply["result"]["serverInfo"]["name"] == "docask", reply
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0, proc.stderr.read().decode()
    assert proc.stdout.read() == b"", "nothing but MCP messages on stdout"


def test_stdio_exits_cleanly_before_the_handshake(docask, site):
    done = subprocess.run([str(docask), "mcp", "--out", str(site)], input=b"", capture_output=True, timeout=10)
    assert done.returncode == 0, done.stderr.decode()


def test_stdio_without_a_site_fails_with_a_message(docask, tmp_path):
    done = subprocess.run(
        [str(docask), "mcp", "--out", str(tmp_path / "nothing")], input=b"", capture_output=True, timeout=10
    )
    assert done.returncode == 1 and b"docask build" in done.stderr, done.stderr.decode()


def test_a_browser_get_on_mcp_gets_an_explanation(server):
    request = urllib.request.Request(server + "/mcp", headers={"Accept": "text/html"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 405
    assert refused.value.headers["Allow"] == "POST"
    assert "Model Context Protocol" in refused.value.read().decode()


def test_concurrent_http_clients(server):
    questions = [
        ("how do I create a token", CREATE),
        ("how do I delete a token", DELETE),
        ("how do I edit a token", "/edit-api-token.md"),
        ("how do I copy a token", "/copy-api-token.md"),
    ] * 3

    async def one(question: str, expected: str) -> None:
        async with Client(server + "/mcp", mode="legacy") as client:
            err, text = await call(client, "ask", {"question": question})
            assert not err and expected in text, text
            err, text = await call(client, "search", {"query": question, "limit": 20})
            assert not err, text

    async def go():
        await asyncio.gather(*(one(q, e) for q, e in questions))

    run(go())


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
