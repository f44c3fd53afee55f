// GitBook blocks as a reader sees them, on a showcase site built from
// fixtures/showcase and opened from file://: hints with icons, steppers, expandables,
// card grids, figures, code blocks with titles, line numbers, highlighting and a copy
// button, OpenAPI cards with a method badge; axe on the whole page in both themes.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const h = require("../lib/harness");

const T = { timeout: 90000 };
let out;
let browser;

before(async () => {
  out = h.build(h.SHOWCASE);
  browser = await h.launch();
});

after(async () => {
  if (browser) await browser.close();
});

const withPage = (options, use) => h.withPage(browser, null, options, use);

const pseudo = (locator, prop) => locator.evaluate((el, p) => getComputedStyle(el, "::before")[p], prop);

test("hints have their own colours and icons", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(h.fileUrl(out, "blocks/all"));
    const backgrounds = new Set();
    for (const style of ["info", "success", "warning", "danger"]) {
      const hint = page.locator(`.hint-${style}`).first();
      // The stylesheet links the icon's fingerprinted name (content hash in it).
      assert.match(await pseudo(hint, "backgroundImage"), new RegExp(`icons/${style}\\.[0-9a-f]{16}\\.svg`), style);
      backgrounds.add(await hint.evaluate((el) => getComputedStyle(el).backgroundColor));
    }
    assert.equal(backgrounds.size, 4, "four distinct hint colours");
    const loaded = await page.evaluate(async () => {
      const img = new Image();
      img.src = new URL("../../static/icons/warning.svg", location.href).href;
      await img.decode();
      return img.naturalWidth > 0;
    });
    assert.ok(loaded, "icon files ship with the site");
  });
});

test("steppers number their steps; expandables open", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(h.fileUrl(out, "blocks/all"));
    const steps = page.locator(".stepper > .step");
    assert.equal(await steps.count(), 3);
    assert.equal(await pseudo(steps.nth(1), "content"), "counter(step)");
    assert.equal(await steps.nth(1).evaluate((el) => getComputedStyle(el).listStyleType), "none");
    const details = page.locator(".markdown-body details");
    assert.equal(await details.getByText("Nothing at all.").isVisible(), false);
    await details.locator("summary").click();
    assert.ok(await details.getByText("Nothing at all.").isVisible());
  });
});

test("code blocks have titles, line numbers, highlighting and a copy button", T, async () => {
  await withPage({ permissions: ["clipboard-read", "clipboard-write"] }, async (page) => {
    await page.goto(h.fileUrl(out, "blocks/all"));
    const block = page.locator(".code-block.line-numbers").first();
    assert.equal(await block.locator(".code-title").textContent(), "main.rs");
    assert.equal(await pseudo(block.locator(".line").nth(2), "content"), "counter(line)");
    const keyword = block.locator(".tok-k").first();
    const plain = block.locator("code");
    assert.notEqual(
      await keyword.evaluate((el) => getComputedStyle(el).color),
      await plain.evaluate((el) => getComputedStyle(el).color),
      "keywords coloured",
    );
    assert.equal(await page.locator(".copy-code").count(), await page.locator("pre.code").count(), "a button per block");
    await block.hover();
    await block.locator(".copy-code").click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, '// Entry point.\nfn main() {\n    let answer = 42;\n    println!("the answer is {answer}");\n}');
    assert.equal(await block.locator(".copy-code").textContent(), "Copied");
    const wrap = page.locator(".code-block.wrap pre");
    assert.equal(await wrap.evaluate((el) => getComputedStyle(el).whiteSpace), "pre-wrap");
  });
});

test("card tables become a grid of linked cards; figures are framed", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(h.fileUrl(out));
    const cards = page.locator("table[data-view=cards]");
    assert.equal(await cards.evaluate((el) => getComputedStyle(el).display), "grid");
    const first = cards.locator("tbody tr").first();
    const second = cards.locator("tbody tr").nth(1);
    const [a, b] = [await first.boundingBox(), await second.boundingBox()];
    assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, "cards side by side");
    assert.equal(await cards.locator("thead").isVisible(), false);
    assert.equal(await first.locator("td.card-hidden").first().isVisible(), false, "target column hidden");
    assert.ok(await first.locator("td.card-cover img").isVisible(), "cover image shown");
    await second.click({ position: { x: 20, y: 60 } });
    await page.waitForURL(h.fileUrl(out, "blocks/api"));
    const badge = page.locator(".openapi-card .method");
    assert.equal(await badge.textContent(), "GET");
    assert.equal(await badge.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(26, 127, 55)");
    assert.match(await page.locator(".openapi-path").textContent(), /\/pets\/\{petId\}/);
    await page.goto(h.fileUrl(out, "blocks/all"));
    const figure = page.locator("figure");
    assert.equal(await figure.locator("figcaption").textContent(), "From content to a site");
    assert.notEqual(await figure.locator("img").evaluate((el) => getComputedStyle(el).borderTopStyle), "none");
  });
});

test("deep entries expand level by level", T, async () => {
  await withPage({}, async (page) => {
    await page.goto(h.fileUrl(out, "blocks/all"));
    for (const url of ["guide", "guide/deep", "guide/deep/deeper"]) {
      const li = page.locator(`#sidebar li[data-url="${url}"]`);
      await li.locator(":scope > .nav-row > .nav-expand").click();
      await li.locator(":scope > ul").waitFor();
      assert.equal(await li.locator(":scope > .nav-row > .nav-expand").getAttribute("aria-expanded"), "true");
    }
    await page.locator("#sidebar").getByRole("link", { name: "Deepest" }).click();
    await page.waitForURL(h.fileUrl(out, "guide/deep/deeper/deepest"));
    assert.equal(await page.locator("#sidebar [aria-current=page]").textContent(), "Deepest");
    const open = page.locator(`#sidebar li[data-url="guide/deep"]`);
    await open.locator(":scope > .nav-row > .nav-expand").click();
    assert.equal(await open.locator(":scope > ul").isVisible(), false, "collapses again");
  });
});

test("the showcase passes axe in light and dark", T, async () => {
  for (const colorScheme of ["light", "dark"]) {
    await withPage({ colorScheme }, async (page) => {
      for (const p of ["blocks/all", "", "blocks/api"]) {
        await page.goto(h.fileUrl(out, p));
        assert.deepEqual(await h.axe(page), [], `${colorScheme} /${p}`);
      }
      await page.goto(h.fileUrl(out, "blocks/all"));
      await page.locator("#hints").evaluate((el) => el.scrollIntoView());
      await h.screenshot(page, `blocks-${colorScheme}.png`);
    });
  }
});
