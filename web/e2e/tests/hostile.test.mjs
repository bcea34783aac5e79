// Hostile releases in the web app: a file whose content is markup and
// script (shown as text, never run); inputs that once made the checker
// crawl or crash (a 40,000-character POSTGRES_HOSTNAME, a settings.py that
// doubles a string 40 times, thousands of Pods), each of which gives a
// verdict without freezing the page; and a checker stuck computing, which
// the page's watchdog stops with a plain message and an offer to check
// again, on a new checker.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { answersFor, releaseUrl } from "../lib/github.mjs";
import { RULES, checkerReady, deepLink, openPage, shots, statuses, useSite, visibleGraph, watchMainThread } from "../lib/harness.mjs";
import { LONG_HOSTNAME, PAYLOAD, growingSettingsTree, hostileTree, longHostnameTree, manyPodsTree, sampleTree } from "../lib/trees.mjs";

const site = useSite();

test("an HTML and script payload in a ConfigMap is shown as text", async (t) => {
  const { page, problems } = await openPage(t, site, { tree: hostileTree() });
  const dialogs = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  await page.goto(deepLink(site, releaseUrl({ owner: "ana-lopez" })));
  const byUrl = await statuses(page);
  await page.waitForTimeout(500);
  await t.test("the hostname rule fails on it", () => assert.equal(byUrl["config-postgres-hostname"], "fail"));
  await t.test("no dialog fires", () => assert.deepEqual(dialogs, []));
  await t.test("no img or script element is created in the results", async () => {
    assert.equal(await page.locator(".results img, .results script, .results iframe, .results object").count(), 0);
    assert.equal(await page.locator(".results [onerror], .results [onload]").count(), 0);
  });
  await t.test("the payload is visible as text in its finding", async () =>
    assert.ok((await page.locator('[data-rule-id="config-postgres-hostname"]').innerText()).includes(PAYLOAD)));
  await t.test("and in the picture", async () => {
    const texts = await page.locator("svg.release-graph:visible text").allTextContents();
    assert.ok(texts.some((s) => s.includes("<img src=x")), texts.join(" / "));
  });
  await t.test("the review shows it only inside code spans", async () => {
    const review = await page.locator("#review-markdown").inputValue();
    assert.ok(review.includes(PAYLOAD), "the review quotes the value");
    const outsideCode = review.replace(/`[^`\n]*`/g, "");
    assert.ok(!/<(img|script)/i.test(outsideCode), "a tag outside a code span would be HTML on GitHub");
  });
  await page.locator('[data-rule-id="config-postgres-hostname"]').screenshot({ path: join(shots, "hostile-card-1280.png") });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

/**
 * Checks `tree` by URL while the page's main thread is watched; returns the
 * statuses, or the error panel's text when the check did not finish,
 * whether a click during the check was answered, and the longest the main
 * thread was busy.
 */
async function checkWatched(t, tree, options = {}) {
  const opened = await openPage(t, site, { tree, ...options });
  const { page } = opened;
  await page.goto(site.base);
  await checkerReady(page);
  const busiest = await watchMainThread(page);
  await page.locator("#release-url").fill(releaseUrl());
  const started = Date.now();
  await page.locator("#release-url").press("Enter");
  // The page answers while the checker works: a script runs, and a click
  // opens the token's disclosure.
  await page.evaluate(() => document.querySelector("#release-url")?.value);
  const token = page.locator("details.token");
  await token.locator("summary").click();
  const answered = await token.evaluate((d) => d.open);
  await token.locator("summary").click();
  const shown = await Promise.race([
    page.waitForSelector("[data-rule-id]", { timeout: 60_000 }).then(() => "results"),
    page.getByRole("alert").waitFor({ timeout: 60_000 }).then(() => "error"),
  ]);
  t.diagnostic(`${shown} after ${Date.now() - started} ms`);
  const outcome = shown === "results" ? { byRule: await statuses(page) } : { error: await page.getByRole("alert").innerText() };
  return { ...opened, ...outcome, answered, busiest: await busiest() };
}

/** No main-thread task of the page took this long: the page never froze. */
const FROZEN_MS = 2_000;

test("a 40,000-character POSTGRES_HOSTNAME gets a verdict and a picture that fits", async (t) => {
  const { page, problems, byRule, error, answered, busiest } = await checkWatched(t, longHostnameTree());
  await t.test("the check finishes with a verdict", () => assert.equal(error, undefined, error));
  await t.test("every rule has a card", () => assert.equal(Object.keys(byRule ?? {}).length, RULES));
  await t.test("the hostname rule fails on it", () => assert.equal(byRule?.["config-postgres-hostname"], "fail"));
  await t.test("the page answered a click during the check and never froze", () => {
    assert.ok(answered);
    assert.ok(busiest < FROZEN_MS, `${busiest} ms`);
  });
  await t.test("the picture shows the name cut to its box, with an ellipsis", async () => {
    const host = visibleGraph(page).locator('[data-node-id^="host/"]').first();
    const names = await host.locator("text.name").allTextContents();
    assert.ok(names.length >= 1 && names.length <= 2, names.join(" / "));
    assert.ok(names.at(-1).endsWith("…"), names.join(" / "));
    assert.ok(LONG_HOSTNAME.startsWith(names.join("").replace(/…$/, "")), names.join(" / "));
  });
  await page.locator(".graph").screenshot({ path: join(shots, "hostile-long-hostname-graph-1280.png") });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

// Needs the settings interpreter's budgets (crates/rules): without them the
// checker runs out of memory and stops ("The checker stopped").
test("a settings.py that doubles a string 40 times gets a verdict", async (t) => {
  const { problems, byRule, error, answered, busiest } = await checkWatched(t, growingSettingsTree());
  await t.test("the check finishes with a verdict, not a crash", () => assert.equal(error, undefined, error));
  await t.test("every rule has a card", () => assert.equal(Object.keys(byRule ?? {}).length, RULES));
  await t.test("the manifests still pass", () =>
    assert.deepEqual(
      ["deployment-present", "service-loadbalancer", "config-postgres-hostname", "secret-matches-values"].map((id) => byRule?.[id]),
      ["pass", "pass", "pass", "pass"],
    ));
  await t.test("the page answered a click during the check and never froze", () => {
    assert.ok(answered);
    assert.ok(busiest < FROZEN_MS, `${busiest} ms`);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("3,000 Pods get a verdict, a picture of what fits and a short list", async (t) => {
  const { page, problems, byRule, error, answered, busiest } = await checkWatched(t, manyPodsTree(3_000));
  await t.test("the check finishes with a verdict", () => assert.equal(error, undefined, error));
  await t.test("pod-removed fails", () => assert.equal(byRule?.["pod-removed"], "fail"));
  await t.test("the page answered a click during the check and never froze", () => {
    assert.ok(answered);
    assert.ok(busiest < FROZEN_MS, `${busiest} ms`);
  });
  await t.test("the picture draws at most 40 boxes", async () => {
    const boxes = await visibleGraph(page).locator("[data-node-id]").count();
    assert.ok(boxes > 0 && boxes <= 40, `${boxes} boxes`);
  });
  await t.test("a card lists at most 20 places, then how many more", async () => {
    const card = page.locator('[data-rule-id="pod-removed"]');
    const items = await card.locator(".evidence > li:not(.more)").count();
    assert.ok(items >= 1 && items <= 20, `${items} entries`);
    const more = await card.locator(".evidence > li.more").allTextContents();
    assert.ok(more.length <= 1 && more.every((m) => /^… and [\d,]+ more\.$/.test(m)), more.join(" / "));
  });
  await t.test("what the picture leaves out is said, or the rules drew a summary", async () => {
    const note = await page.locator(".graph-left-out").allTextContents();
    if (note.length > 0) {
      assert.match(note[0], /^The picture draws the first 40 pieces and leaves out [\d,]+ more(, with [\d,]+ links?)?\. The rules below read them all\.$/);
    } else {
      assert.ok((await visibleGraph(page).locator("text").allTextContents()).some((s) => /more/i.test(s)));
    }
  });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.locator(".graph").screenshot({ path: join(shots, "hostile-many-pods-graph-360.png") });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

/**
 * A checker that says it is ready, then computes forever on the first job
 * (the postcard bytes of `Reply::Ready` are one zero byte). It stands in
 * for `m13-checker.js`, which the worker's script imports.
 */
const STUCK_CHECKER = `self.wasm_bindgen = function () {
  postMessage(new Uint8Array([0]));
  self.onmessage = function () { for (;;) {} };
};`;

const stuckMessage = (seconds) =>
  `The check took longer than ${seconds} s and was stopped: the release may hold something too large to check in a browser. Try the CLI, or check again.`;

test("a checker stuck computing is stopped by the watchdog, and the check can run again", async (t) => {
  const { context, page, problems } = await openPage(t, site, { tree: sampleTree() });
  // The watchdog's test hook (README, web app): 2 s instead of 20 s.
  await context.addInitScript(() => {
    window.m13WatchdogSeconds = 2;
  });
  const stuck = (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: STUCK_CHECKER });
  await context.route(/m13-checker\.js/, stuck);
  const started = [];
  const closed = [];
  page.on("worker", (worker) => {
    started.push(worker.url());
    worker.on("close", () => closed.push(worker.url()));
  });
  await page.goto(site.base);
  await checkerReady(page);
  await page.getByRole("button", { name: "Try a sample" }).click();
  await page.locator(".progress").waitFor();
  // The next checker is the real one.
  await context.unroute(/m13-checker\.js/, stuck);
  await t.test("while the checker spins, the page answers", async () => {
    assert.equal(await page.evaluate(() => 6 * 7), 42);
    await page.locator("#release-url").fill("typed while it spins");
    assert.equal(await page.locator("#release-url").inputValue(), "typed while it spins");
  });
  const alert = page.getByRole("alert");
  await alert.waitFor({ timeout: 15_000 });
  await t.test("the page says plainly that the check was stopped", async () => {
    assert.equal(await alert.locator("h2").innerText(), "The check was stopped");
    assert.equal(await alert.locator("p").first().innerText(), stuckMessage(2));
  });
  await t.test("the stuck worker was terminated and a new one started", async () => {
    for (let i = 0; i < 50 && (closed.length < 1 || started.length < 2); i++) await page.waitForTimeout(100);
    assert.deepEqual(closed, started.slice(0, 1));
    assert.equal(started.length, 2, started.join(", "));
  });
  await t.test("the error takes the focus", async () =>
    assert.equal(await page.evaluate(() => document.activeElement?.id), "error-heading"));
  await page.screenshot({ path: join(shots, "watchdog-1280.png") });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(shots, "watchdog-360.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await checkerReady(page);
  await page.getByRole("button", { name: "Check again" }).click();
  const again = await statuses(page);
  await t.test("check again runs the sample on a new checker", () => {
    assert.equal(Object.keys(again).length, RULES);
    assert.deepEqual(Object.keys(again).filter((k) => again[k] === "fail").sort(), ["cpu-request-range", "pvc-removed", "secret-matches-values"]);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a slow download is not stopped: the checker says it is alive while it waits", async (t) => {
  const tree = sampleTree();
  const answers = answersFor(tree);
  const slowRaw = (path) => new Promise((resolve) => setTimeout(() => resolve(answers.raw(path)), 7_000));
  const { context, page, problems } = await openPage(t, site, { answers: { ...answers, raw: slowRaw } });
  await context.addInitScript(() => {
    window.m13WatchdogSeconds = 4;
  });
  await page.goto(deepLink(site, releaseUrl()));
  const byUrl = await statuses(page);
  await t.test("the check finishes after waiting longer than the limit", () =>
    assert.deepEqual(Object.keys(byUrl).filter((k) => byUrl[k] === "fail").sort(), ["cpu-request-range", "pvc-removed", "secret-matches-values"]));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
