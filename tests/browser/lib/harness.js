// Shared harness of the browser tests: the real `docask` binary (build and serve), the
// system's headless Chromium through playwright-core, and recorders that every test
// checks — console errors, page errors, and requests to any other host.
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");

const ROOT = path.resolve(__dirname, "../../..");
const DOCASK = process.env.DOCASK_BIN || path.join(ROOT, "target/debug/docask");
const CONTENT = path.join(ROOT, "content");
const SHOWCASE = path.join(__dirname, "../fixtures/showcase");
const ARTIFACTS = path.join(__dirname, "../artifacts");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** A fresh temporary folder, removed at exit. */
function tempDir(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `docask-browser-${name}-`));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds `content` into a temporary folder; gives the folder. */
function build(content = CONTENT) {
  const out = path.join(tempDir("site"), "public");
  execFileSync(DOCASK, ["build", "--quiet", "--content", content, "--out", out], { stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

/** The file:// URL of a built page (`a/b` → a/b/index.html). */
function fileUrl(out, page = "") {
  return pathToFileURL(path.join(out, page, "index.html")).href;
}

function get(url) {
  return new Promise((resolve) => {
    http.get(url, (res) => { res.resume(); resolve(res.statusCode); }).on("error", () => resolve(0));
  });
}

/** Starts the real `docask serve` on a free loopback port; waits for /healthz. */
async function serve(content = CONTENT) {
  const out = path.join(tempDir("serve"), "public");
  const child = spawn(DOCASK, ["serve", "--content", content, "--out", out, "--addr", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docask serve did not start:\n${log}`)), 60000);
    const onData = (chunk) => {
      log += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`docask serve exited with ${code}:\n${log}`)));
  });
  for (let i = 0; i < 200 && (await get(`${base}/healthz`)) !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if ((await get(`${base}/healthz`)) !== 200) throw new Error(`no /healthz at ${base}:\n${log}`);
  return { base, stop: () => child.kill("SIGTERM") };
}

/** A plain static host for `dir` on loopback (no ask endpoint): gives its base URL. */
async function staticHost(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".md": "text/markdown" };
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

/** Launches Chromium. */
function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * A browser context that records what each test must not see: console errors, page
 * errors and requests that leave `origin` (or file://).
 */
async function context(browser, options = {}, origin = null) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light", ...options });
  const seen = { errors: [], foreign: [], requests: [] };
  ctx.on("request", (req) => {
    const url = req.url();
    seen.requests.push(url);
    const u = new URL(url);
    const local = origin ? u.origin === origin : u.protocol === "file:";
    if (!local && u.protocol !== "data:" && u.protocol !== "blob:") seen.foreign.push(url);
  });
  ctx.on("page", (page) => watch(page, seen));
  ctx.seen = seen;
  return ctx;
}

function watch(page, seen) {
  page.on("console", (m) => { if (m.type() === "error") seen.errors.push(`console: ${m.text()} (${page.url()})`); });
  page.on("pageerror", (e) => seen.errors.push(`page error: ${e.message} (${page.url()})`));
}

/** Asserts nothing went wrong in `ctx` so far. */
function assertClean(assert, ctx) {
  assert.deepEqual(ctx.seen.errors, [], "console or page errors");
  assert.deepEqual(ctx.seen.foreign, [], "requests to another host");
}

/** Runs axe-core in `page`; gives the serious and critical violations. */
async function axe(page) {
  // Evaluated, not added as a <script>: the server's CSP rightly refuses inline scripts.
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  // No preload: axe would re-read the stylesheets with XHR, which file:// refuses.
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], preload: false }));
  if (result.passes.length < 10) throw new Error(`axe checked too little: ${result.passes.length} rules passed`);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

/** Saves a screenshot under artifacts/. */
async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  return file;
}

/** Runs `use(page, ctx)` in a fresh recording context; afterwards no console error
 * and no request to another host may have happened. */
async function withPage(browser, origin, options, use) {
  const ctx = await context(browser, options, origin);
  try {
    const page = await ctx.newPage();
    await use(page, ctx);
    assertClean(require("node:assert/strict"), ctx);
  } finally {
    await ctx.close();
  }
}

module.exports = { ROOT, CONTENT, SHOWCASE, build, fileUrl, serve, staticHost, launch, context, assertClean, withPage, axe, screenshot };
