// Offline after a first visit: the service worker (web/sw.js) keeps the
// site's files, so with the network off and the site's server gone the
// page still loads, "Try a sample" still gives a verdict and so does a
// dropped zip. A new build
// (another `?build=`) replaces the cache.

import assert from "node:assert/strict";
import { test } from "node:test";

import { RULES, SUB, checkerReady, openPage, serve, statuses, useSite, withStatus } from "../lib/harness.mjs";
import { sampleTree } from "../lib/trees.mjs";
import { zipOf } from "../lib/zip.mjs";

const site = useSite();

/** The names of the page's caches (Cache Storage). */
const cacheNames = (page) => page.evaluate(() => caches.keys());

/** Polls `check` (an async function of the page) until it is true, for up to 20 s. */
async function until(page, check, arg) {
  for (let i = 0; i < 200; i++) {
    if (await page.evaluate(check, arg)) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`never true: ${check}`);
}

/** Waits until the service worker is active (it is, once its cache is filled). */
const offlineReady = (page) =>
  until(page, async () => (await navigator.serviceWorker.getRegistration())?.active?.state === "activated");

test("after a first visit, the sample works with no network", async (t) => {
  // A server of its own, closed before the visit with no network.
  const server = await serve();
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}${SUB}`;
  const { context, page, problems } = await openPage(t, site, { serviceWorkers: "allow" });
  await page.goto(base);
  await checkerReady(page);
  await offlineReady(page);
  const build = await page.evaluate(() => /m13-app-(\w+)_bg\.wasm$/.exec(document.getElementById("m13-wasm").href)[1]);
  await t.test("one cache, named after the build", async () => assert.deepEqual(await cacheNames(page), [`m13-site-${build}`]));
  await t.test("it holds the page, its files and the checker", async () => {
    const kept = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname.split("/").pop() + new URL(r.url).search), `m13-site-${build}`);
    for (const file of ["", `m13-checker.js?build=${build}`, `m13-checker_bg.wasm?build=${build}`, "boot.js"]) {
      assert.ok(kept.includes(file), `${file || "index.html"} is not in ${kept.join(" ")}`);
    }
    assert.ok(kept.some((f) => /^m13-app-\w+_bg\.wasm$/.test(f)), kept.join(" "));
  });

  await context.setOffline(true);
  server.closeAllConnections();
  server.close();
  await page.reload();
  await page.getByRole("button", { name: "Try a sample" }).click();
  const byRule = await statuses(page);
  await t.test("the page loads and the sample is checked", () => assert.equal(Object.keys(byRule).length, RULES));
  await t.test("with its verdict", async () => assert.match(await page.locator("#summary-heading").innerText(), /\S/));
  const zip = zipOf([...sampleTree()].map(([p, b]) => [`sam-rivera-cis-92-4b825dc/${p}`, b]));
  await page.locator("#zip-file").setInputFiles({ name: "cis-92-milestone-13.1.zip", mimeType: "application/zip", buffer: zip });
  await page.locator(".summary .source", { hasText: "cis-92-milestone-13.1.zip" }).waitFor();
  await t.test("a dropped zip is checked too", async () => {
    const fromZip = await statuses(page);
    assert.equal(Object.keys(fromZip).length, RULES);
    assert.deepEqual(withStatus(fromZip, "fail"), withStatus(byRule, "fail"));
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a new build replaces the cache", async (t) => {
  const { page, problems } = await openPage(t, site, { serviceWorkers: "allow" });
  await page.goto(site.base);
  await checkerReady(page);
  await offlineReady(page);
  const before = await cacheNames(page);
  // What web/boot.js does on the first visit after a deployment.
  await page.evaluate(() => navigator.serviceWorker.register("sw.js?build=next"));
  await until(page, async () => {
    const active = (await navigator.serviceWorker.getRegistration())?.active;
    return active?.scriptURL.endsWith("?build=next") && active.state === "activated";
  });
  await t.test("the old build's cache is gone", async () => {
    assert.equal(before.length, 1);
    assert.deepEqual(await cacheNames(page), ["m13-site-next"]);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
