// The bundled docs served by the real `docask serve` on loopback, in headless Chromium:
// navigation, the phone drawer, tabs, the theme, the ask box, the in-page contents,
// copy buttons, accessibility, and no console error or request to another host.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const h = require("../lib/harness");

const TOKENS = "modules-and-features/settings/api-tokens";
const CREATE = `${TOKENS}/create-api-token`;
const API = "developer-resources/rest-api/accounts-api/api-tokens";
const T = { timeout: 90000 };

let server;
let browser;

before(async () => {
  server = await h.serve();
  browser = await h.launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

const withPage = (options, use) => h.withPage(browser, server.base, options, use);

const url = (p) => `${server.base}/${p ? p + "/" : ""}`;

test("the sidebar expands collapsed entries from the shared tree and the pager moves on", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(url(""));
    const settings = page.locator(`#sidebar li[data-url="modules-and-features/settings"]`);
    assert.equal(await settings.locator(":scope > ul").count(), 0, "home holds only the top level");
    await settings.locator(":scope > .nav-row > .nav-expand").click();
    const tokens = settings.locator(`li[data-url="${TOKENS}"]`);
    await tokens.locator(":scope > .nav-row > .nav-expand").click();
    await tokens.getByRole("link", { name: "Create API token" }).click();
    await page.waitForURL(url(CREATE));
    assert.equal(await page.locator("h1").textContent(), "Create API tokens");
    const current = page.locator("#sidebar [aria-current=page]");
    assert.equal(await current.textContent(), "Create API token");
    assert.match(await current.evaluate((a) => getComputedStyle(a.closest(".nav-row")).backgroundColor), /rgb\((?!0, 0, 0)/);

    await page.locator(".pager-next").click();
    await page.waitForURL(url(`${TOKENS}/view-api-tokens`));
    assert.equal(await page.locator("h1").textContent(), "View API tokens");
    const crumbs = await page.locator(".breadcrumbs li").allTextContents();
    assert.deepEqual(crumbs, ["Modules and features", "Settings", "API tokens", "View API tokens"]);
  });
});

test("the current page is scrolled into view in a short sidebar", T, async () => {
  await withPage({ viewport: { width: 1280, height: 420 } }, async (page) => {
    await page.goto(url(`${TOKENS}/enable-or-disable-api-token`));
    const inView = await page.evaluate(() => {
      const bar = document.getElementById("sidebar").getBoundingClientRect();
      const row = document.querySelector("#sidebar .current > .nav-row").getBoundingClientRect();
      return row.top >= bar.top && row.bottom <= bar.bottom;
    });
    assert.ok(inView, "current entry outside the visible sidebar");
    assert.equal(await page.evaluate(() => window.scrollY), 0, "the window itself must not scroll");
  });
});

test("at phone width the sidebar is a drawer", T, async () => {
  await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
    await page.goto(url(CREATE));
    const sidebar = page.locator("#sidebar");
    const toggle = page.locator(".nav-toggle");
    assert.ok(await toggle.isVisible(), "menu button shown");
    assert.equal(await sidebar.isVisible(), false, "drawer closed at first");
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling");
    await h.screenshot(page, "phone-light.png");

    await toggle.click();
    await page.waitForFunction(() => document.getElementById("sidebar").getBoundingClientRect().left >= 0);
    assert.ok(await sidebar.isVisible(), "drawer opens");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await h.screenshot(page, "phone-drawer.png");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.documentElement.classList.contains("nav-open"));
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");

    await toggle.click();
    await sidebar.getByRole("link", { name: "Token states" }).click();
    await page.waitForURL(url(`${TOKENS}/token-states`));
    assert.equal(await page.locator("h1").textContent(), "Token states");
    assert.equal(await page.locator("#sidebar").isVisible(), false, "drawer closed after navigating");
  });
});

test("tabs switch with the mouse and the keyboard", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(url(API));
    const tabs = page.locator(".tabs").first().getByRole("tab");
    assert.ok((await tabs.count()) >= 2);
    const panelOf = async (tab) => page.locator(`#${await tab.getAttribute("aria-controls")}`);
    const [first, second] = [tabs.nth(0), tabs.nth(1)];
    assert.ok(await (await panelOf(first)).isVisible());
    assert.equal(await (await panelOf(second)).isVisible(), false);

    await second.click();
    assert.equal(await second.getAttribute("aria-selected"), "true");
    assert.equal(await first.getAttribute("aria-selected"), "false");
    assert.ok(await (await panelOf(second)).isVisible());
    assert.equal(await (await panelOf(first)).isVisible(), false);

    await page.keyboard.press("ArrowLeft");
    assert.equal(await first.getAttribute("aria-selected"), "true");
    assert.ok(await first.evaluate((b) => b === document.activeElement));
    assert.ok(await (await panelOf(first)).isVisible());
  });
});

test("the theme follows the system, the toggle is remembered, and no wrong theme flashes", T, async () => {
  await withPage({ colorScheme: "dark" }, async (page) => {
    await page.goto(url(CREATE));
    assert.equal(await page.getAttribute("html", "data-theme"), "dark", "follows the system");
  });
  await withPage({ colorScheme: "light" }, async (page) => {
    // Record the theme at the moment <body> appears: set later, the page would flash.
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.body) {
          window.themeAtFirstBody = document.documentElement.getAttribute("data-theme");
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url(CREATE));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
    const light = await background();
    await page.locator(".theme-toggle").click();
    assert.equal(await page.getAttribute("html", "data-theme"), "dark");
    assert.notEqual(await background(), light, "dark colours applied");
    await page.reload();
    assert.equal(await page.getAttribute("html", "data-theme"), "dark", "remembered across reload");
    assert.equal(await page.evaluate(() => window.themeAtFirstBody), "dark", "theme set before the body");
    await page.goto(url(TOKENS));
    assert.equal(await page.getAttribute("html", "data-theme"), "dark", "remembered on other pages");
    await page.locator(".theme-toggle").click();
    await page.reload();
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
  });
});

test("the ask box shows sections as you type and the answer on Enter, from the server", T, async () => {
  await withPage({}, async (page, ctx) => {
    await page.goto(url(TOKENS));
    await page.keyboard.press("/");
    assert.ok(await page.locator("#ask-input").evaluate((i) => i === document.activeElement), "/ focuses the box");
    await page.keyboard.type("how do I create an API token");
    const panel = page.locator("#ask-panel");
    await panel.locator(".ask-hit").first().waitFor();
    assert.match(await panel.locator(".ask-hit").first().getAttribute("href"), /create-api-token\/#/);

    await page.keyboard.press("Enter");
    const answer = panel.locator(".ask-answer");
    await answer.waitFor();
    assert.match(await answer.textContent(), /Settings.*API tokens/s);
    assert.equal(await answer.locator("strong").first().textContent(), "Settings", "Markdown bold rendered");
    const source = answer.locator("a[href*='create-api-token/#']");
    assert.equal(await source.count(), 1, "answer links the section it came from");
    assert.equal(await panel.locator(".ask-note").count(), 0, "no offline fallback with a server");
    assert.ok(ctx.seen.requests.some((u) => u.includes(".md?ask=") && u.includes("format=json")), "asked the server");
    await h.screenshot(page, "ask-answer.png");

    await source.click();
    await page.waitForURL(/create-api-token\/#create-a-new-api-token$/);
    assert.equal(await page.locator("h1").textContent(), "Create API tokens");

    await page.keyboard.press("Control+k");
    assert.ok(await page.locator("#ask-input").evaluate((i) => i === document.activeElement), "Ctrl-K focuses the box");
    await page.keyboard.press("Escape");
  });
});

test("the ask box renders server text as text, never as markup", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(url(TOKENS));
    await page.locator("#ask-input").fill("<img src=x onerror=alert(1)> token");
    await page.keyboard.press("Enter");
    await page.locator("#ask-panel .ask-answer, #ask-panel .ask-hit").first().waitFor();
    assert.equal(await page.locator("#ask-panel img, #ask-panel script").count(), 0);

    // The answer's Markdown renderer on hostile and nested input.
    const html = await page.evaluate(() => {
      const md = [
        "1. Go to **Settings** <img src=x onerror=alert(1)>",
        "2. Choose:",
        "   * the `list` [row](/a/b.md#c)",
        "   * a [bad link](javascript:alert(1))",
        "3. Done",
        "",
        "— [Page › Section](/index.md#top)",
      ].join("\n");
      const div = document.createElement("div");
      div.appendChild(window.DOCASK.markdown(md));
      return div.innerHTML;
    });
    assert.ok(!/<img|<script|javascript:/i.test(html), html);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /<ol><li>Go to <strong>Settings<\/strong>/);
    assert.match(html, /<li>Choose:<ul><li>the <code>list<\/code> <a href="\.\.\/\.\.\/\.\.\/a\/b\/#c">row<\/a><\/li>/);
    assert.match(html, /<li>Done<\/li><\/ol>/);
    assert.match(html, /<p class="ask-source">— <a href="\.\.\/\.\.\/\.\.\/#top">Page › Section<\/a><\/p>/);
  });
});

test("the in-page contents follows the scroll; headings have anchor links", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(url(CREATE));
    await page.locator("#modules").evaluate((h3) => h3.scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".toc a.active"));
    await page.waitForFunction(() => document.querySelector(".toc a.active").getAttribute("href") === "#modules");
    await page.locator("#before-you-begin").evaluate((h2) => h2.scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".toc a.active").getAttribute("href") === "#before-you-begin");
    assert.equal(await page.locator(".toc a.active").count(), 1);
    assert.equal(await page.locator("#before-you-begin .heading-anchor").getAttribute("href"), "#before-you-begin");
  });
});

test("copy buttons copy code and the page as Markdown", T, async () => {
  await withPage({ permissions: ["clipboard-read", "clipboard-write"] }, async (page) => {
    await page.goto(url(TOKENS));
    const frame = page.locator(".code-frame").first();
    await frame.hover();
    await frame.locator(".copy-code").click();
    const code = await frame.locator("pre code").textContent();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code.replace(/\n$/, ""));
    await page.locator(".copy-page").click();
    await page.waitForFunction(() => document.querySelector(".copy-page").textContent.includes("Copied"));
    const md = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(md, /^# API tokens$/m);
    assert.match(md, /Agent Instructions/);
    const view = page.getByRole("link", { name: "View as Markdown" });
    assert.equal(await view.getAttribute("href"), "../api-tokens.md");
  });
});

test("pages pass axe in light and dark, desktop and phone", T, async () => {
  const failures = [];
  for (const colorScheme of ["light", "dark"]) {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await withPage({ colorScheme, viewport }, async (page) => {
        for (const p of [CREATE, API, ""]) {
          await page.goto(url(p));
          assert.equal(await page.getAttribute("html", "data-theme"), colorScheme);
          for (const v of await h.axe(page)) failures.push(`${colorScheme} ${viewport.width}px /${p}: ${v}`);
        }
        if (viewport.width > 1000 && colorScheme === "light") await h.screenshot(page, "desktop-light.png");
        if (viewport.width > 1000 && colorScheme === "dark") {
          await page.goto(url(CREATE));
          await h.screenshot(page, "desktop-dark.png");
        }
      });
    }
  }
  assert.deepEqual(failures, []);
});

test("the page has landmarks, a skip link and a visible focus ring", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(url(CREATE));
    for (const role of ["banner", "main", "navigation", "complementary", "contentinfo", "search"]) {
      assert.ok((await page.getByRole(role).count()) >= 1, `landmark ${role}`);
    }
    await page.keyboard.press("Tab");
    const skip = page.locator(".skip-link");
    assert.ok(await skip.evaluate((a) => a === document.activeElement));
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0, "skip link shows when focused");
    assert.notEqual(await skip.evaluate((a) => getComputedStyle(a).outlineStyle), "none", "focus ring");
    await page.keyboard.press("Enter");
    assert.ok(await page.evaluate(() => document.activeElement.id === "content" || location.hash === "#content"));
  });
});
