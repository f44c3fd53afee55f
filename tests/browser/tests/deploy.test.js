// The bundled docs as a project site on a static host: built with a base URL that
// carries a path and served under that path by a plain file server that answers
// unknown paths with 404.html (as GitHub Pages does). Also the phone drawer with
// JavaScript off.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const h = require("../lib/harness");

const T = { timeout: 90000 };
const TOKENS = "modules-and-features/settings/api-tokens";

let browser;
let host;
let origin;

/** Serves `dir` under `/repo/`, with `404.html` for anything missing. */
async function projectSite(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".md": "text/markdown" };
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = null;
    if (rel.startsWith("/repo/")) {
      rel = rel.slice("/repo".length);
      if (rel.endsWith("/")) rel += "index.html";
      const candidate = path.join(dir, path.normalize(rel));
      if (candidate.startsWith(dir) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
    }
    const status = file ? 200 : 404;
    file = file || path.join(dir, "404.html");
    res.writeHead(status, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

before(async () => {
  browser = await h.launch();
  // The port is known only once listening: serve an empty folder first, then build into it.
  const out = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "docask-deploy-")), "public");
  fs.mkdirSync(out);
  host = await projectSite(out);
  origin = host.base;
  execFileSync(process.env.DOCASK_BIN || path.join(h.ROOT, "target/debug/docask"), ["build", "--quiet", "--content", h.CONTENT, "--out", out, "--base-url", `${origin}/repo`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
});

after(async () => {
  if (host) host.stop();
  if (browser) await browser.close();
});

test("under a subpath every page, asset and the 404 page work", T, async () => {
  await h.withPage(browser, origin, {}, async (page, ctx) => {
    await page.goto(`${origin}/repo/`);
    await page.locator("#sidebar").getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${origin}/repo/modules-and-features/settings/`);
    assert.equal(await page.locator("link[rel=canonical]").getAttribute("href"), `${origin}/repo/modules-and-features/settings/`);

    const missing = await page.goto(`${origin}/repo/no/such/page/`);
    assert.equal(missing.status(), 404);
    // The browser reports the 404 status itself; that one is expected.
    ctx.seen.errors = ctx.seen.errors.filter((e) => !e.includes("status of 404") || !e.includes("/repo/no/such/page/"));
    assert.equal(await page.locator("h1").textContent(), "Page not found");
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position);
    assert.notEqual(styled, "static", "the theme's stylesheet loads at any depth");
    await page.locator("main").getByRole("link").first().click();
    await page.waitForLoadState();
    assert.notEqual(await page.locator("h1").textContent(), "Page not found", "its links lead to pages");
    const failed = ctx.seen.requests.filter((u) => u.includes("/static/") && !u.startsWith(`${origin}/repo/static/`));
    assert.deepEqual(failed, [], "theme files come from under the subpath");
  });
});

test("at phone width the drawer opens without JavaScript", T, async () => {
  await h.withPage(browser, origin, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false }, async (page) => {
    await page.goto(`${origin}/repo/${TOKENS}/`);
    const sidebar = page.locator("#sidebar");
    assert.equal(await sidebar.isVisible(), false, "drawer closed at first");
    await page.locator(".nav-toggle").click();
    await sidebar.waitFor({ state: "visible", timeout: 5000 });
    assert.ok(await sidebar.isVisible(), "the menu opens the drawer");
    await sidebar.getByRole("link", { name: "Token states" }).click();
    await page.waitForURL(`${origin}/repo/${TOKENS}/token-states/`);
    assert.equal(await page.locator("h1").textContent(), "Token states");
  });
});
