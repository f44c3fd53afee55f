// The bundled docs built into a folder and opened from file://, with no server:
// navigation (sidebar, expanding entries, pager) and the ask box's offline search.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const h = require("../lib/harness");

const TOKENS = "modules-and-features/settings/api-tokens";
const T = { timeout: 90000 };

let out;
let browser;

before(async () => {
  out = h.build();
  browser = await h.launch();
});

after(async () => {
  if (browser) await browser.close();
});

const withPage = (options, use, origin = null) => h.withPage(browser, origin, options, use);

test("from file:// the sidebar, its collapsed entries and the pager lead to pages", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(h.fileUrl(out));
    const rest = page.locator(`#sidebar li[data-url="developer-resources/rest-api"]`);
    await rest.locator(":scope > .nav-row > .nav-expand").click();
    await rest.getByRole("link", { name: "API tokens API" }).click();
    await page.waitForURL(h.fileUrl(out, "developer-resources/rest-api/accounts-api/api-tokens"));
    assert.equal(await page.locator("h1").textContent(), "API tokens API");

    await page.locator("#sidebar").getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(h.fileUrl(out, "modules-and-features/settings"));
    await page.locator(".pager-next").click();
    await page.waitForURL(h.fileUrl(out, TOKENS));
    assert.equal(await page.locator("h1").textContent(), "API tokens");
    await page.locator(".breadcrumbs").getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(h.fileUrl(out, "modules-and-features/settings"));
    assert.equal(await page.locator(".copy-page").isVisible(), false, "no copy button where fetch cannot work");
  });
});

test("from file:// the ask box falls back to the offline index", T, async (t) => {
  await withPage({}, async (page, ctx) => {
    await page.goto(h.fileUrl(out, TOKENS));
    const before = await page.evaluate(() => typeof window.DOCASK_SEARCH);
    assert.equal(before, "undefined", "the index loads only when needed");
    await page.locator("#ask-input").fill("delete a token");
    const hits = page.locator("#ask-panel .ask-hit");
    await hits.first().waitFor();
    const first = await hits.first().getAttribute("href");
    assert.match(first, /delete-api-token\/index\.html(#|$)/);
    await page.keyboard.press("Enter");
    await page.locator("#ask-panel .ask-note").waitFor();
    assert.ok(ctx.seen.requests.some((u) => u.endsWith("static/search-index.js")));
    await hits.first().click();
    await page.waitForURL(/delete-api-token\/index\.html/);
    assert.equal(await page.locator("h1").textContent(), "Delete API token");
  });
});

test("from file:// nothing leaves the folder and axe passes", T, async () => {
  await withPage({ colorScheme: "dark" }, async (page, ctx) => {
    await page.goto(h.fileUrl(out, `${TOKENS}/create-api-token`));
    assert.deepEqual(await h.axe(page), []);
    assert.ok(ctx.seen.requests.length > 3);
    assert.ok(ctx.seen.requests.every((u) => u.startsWith("file://")), "only file:// requests");
  });
});

test("on a plain static host the ask box falls back to the offline index", T, async () => {
  const host = await h.staticHost(out);
  try {
    await withPage({}, async (page, ctx) => {
      await page.goto(`${host.base}/${TOKENS}/`);
      await page.locator("#ask-input").fill("token states");
      await page.keyboard.press("Enter");
      await page.locator("#ask-panel .ask-note").waitFor();
      const first = await page.locator("#ask-panel .ask-hit").first().getAttribute("href");
      assert.match(first, /token-states\/(#|$)/);
      assert.ok(ctx.seen.requests.some((u) => u.includes(".md?ask=")), "tried the server first");
      assert.ok(ctx.seen.requests.some((u) => u.endsWith("/static/search-index.js")));
    }, host.base);
  } finally {
    host.stop();
  }
});
