// Checking a release by URL, GitHub answered by fixtures: the sample's
// files, a passing release, a token, and a reload from memory.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { OWNER, REPO, TAG, releaseUrl } from "../lib/github.mjs";
import { RULES, brokenEdges, checkerReady, deepLink, differences, holdChecker, openPage, shots, statuses, useSite, withStatus } from "../lib/harness.mjs";
import { fixtureTree, sampleTree } from "../lib/trees.mjs";

const site = useSite();
const URL = releaseUrl();

test("a deep link to the sample's release", async (t) => {
  const tree = sampleTree();
  const { page, problems, calls } = await openPage(t, site, { tree });
  await page.goto(deepLink(site, URL));
  const byUrl = await statuses(page);
  await t.test("the sample's three rules fail", () =>
    assert.deepEqual(withStatus(byUrl, "fail"), ["cpu-request-range", "pvc-removed", "secret-matches-values"]));
  await t.test("two API calls", () => assert.equal(calls.api, 2));
  await t.test("only the wanted files from raw", () => assert.ok(calls.raw > 0 && calls.raw < tree.size, `${calls.raw} of ${tree.size}`));
  await t.test("nothing else was asked", () => assert.deepEqual(calls.other, []));
  await t.test("the rate limit is shown", async () => assert.ok(await page.getByText("56 of 60 GitHub API calls left").isVisible()));
  await t.test("the page says which source was used", async () => assert.ok(await page.getByText("Files from GitHub").isVisible()));
  const link = await page.locator('[data-rule-id="cpu-request-range"] .evidence a').first().getAttribute("href");
  await t.test("evidence links to the file on GitHub", () =>
    assert.ok(link?.startsWith(`https://github.com/${OWNER}/${REPO}/blob/${TAG}/deployment/deployment.yaml#L`), link));
  await page.screenshot({ path: join(shots, "url-1280.png") });
  const address = page.url();
  await page.locator('nav.jump a[href="#review"]').click();
  await t.test("the jump bar shows the review without reloading the ?url= page", async () => {
    assert.equal(await page.evaluate(() => document.activeElement?.id), "export-heading");
    assert.equal(page.url(), address);
    assert.equal(calls.api, 2, "no second check");
  });
  calls.api = 0;
  await page.reload();
  const again = await statuses(page);
  await t.test("a reload is answered from the browser's memory", () => {
    assert.equal(calls.api, 0);
    assert.equal(differences(again, byUrl), "");
  });
  await t.test("the page says the result was remembered", async () => assert.ok(await page.locator("p.remembered").isVisible()));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a passing release by URL", async (t) => {
  const { page, problems } = await openPage(t, site, { tree: fixtureTree("sp24-pass") });
  await page.goto(deepLink(site, releaseUrl({ owner: "ana-lopez" })));
  const byUrl = await statuses(page);
  await t.test("every rule passes", () => {
    assert.equal(Object.keys(byUrl).length, RULES);
    assert.deepEqual(Object.entries(byUrl).filter(([, s]) => s !== "pass"), []);
  });
  await t.test("the verdict says so", async () =>
    assert.equal(await page.locator("#summary-heading").innerText(), "Meets milestone 13 as far as the files tell."));
  await t.test("the picture has no broken link", async () => {
    assert.equal(await page.locator("svg.release-graph:visible").count(), 1);
    assert.equal(await brokenEdges(page), 0);
    assert.ok((await page.locator('svg.release-graph:visible [data-edge-holds="true"]').count()) >= 8);
    assert.equal(await page.locator('svg.release-graph:visible [data-node-status]:not([data-node-status="ok"])').count(), 0);
  });
  await t.test("and says every link holds", async () =>
    assert.equal(await page.locator(".graph-summary").innerText(), "Every link holds and every piece is in place."));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a settings package is read through its imports", async (t) => {
  const { page, problems, calls } = await openPage(t, site, { tree: fixtureTree("settings-package") });
  await page.goto(deepLink(site, releaseUrl({ owner: "ana-lopez" })));
  const byUrl = await statuses(page);
  await t.test("every rule passes", () =>
    assert.deepEqual(Object.entries(byUrl).filter(([, s]) => s !== "pass"), []));
  await t.test("base.py was fetched with the package: nine files", () => assert.equal(calls.raw, 9));
  await t.test("the database evidence is in base.py, linked there", async () => {
    // A pass is a closed line: a tap opens it on its evidence.
    await page.locator('[data-rule-id="uses-postgres"] summary').first().click();
    const link = await page.locator('[data-rule-id="uses-postgres"] .evidence a').first().getAttribute("href");
    assert.match(link ?? "", /\/blob\/milestone-13\.1\/mysite\/mysite\/settings\/base\.py#L26$/);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a token typed while the checker loads is kept", async (t) => {
  const { context, page } = await openPage(t, site, { tree: sampleTree() });
  // Hold the checker back until the token is typed: its arrival re-renders
  // the page between the typing and the change event.
  const release = await holdChecker(context);
  await page.goto(site.base);
  await page.locator("summary", { hasText: "GitHub token" }).click();
  await page.locator("#github-token").fill("ghp_e2eTOKEN");
  release();
  await checkerReady(page);
  await t.test("the typed token is still in the field", async () =>
    assert.equal(await page.locator("#github-token").inputValue(), "ghp_e2eTOKEN"));
  await page.locator("#github-token").press("Tab");
  await t.test("and is kept once committed", async () =>
    assert.equal(await page.evaluate(() => sessionStorage.getItem("m13.token")), "ghp_e2eTOKEN"));
});

test("a token goes to api.github.com only", async (t) => {
  const { page, calls } = await openPage(t, site, { tree: sampleTree() });
  await page.goto(site.base);
  await page.locator("summary", { hasText: "GitHub token" }).click();
  await page.locator("#github-token").fill("ghp_e2eTOKEN");
  await page.locator("#github-token").press("Tab");
  await page.locator("#release-url").fill(URL);
  await page.locator("#release-url").press("Enter");
  await statuses(page);
  await t.test("the token is sent to every API call, files included", () => {
    assert.ok(calls.blobs > 0);
    assert.deepEqual(calls.authorization.api, Array(2 + calls.blobs).fill("Bearer ghp_e2eTOKEN"));
  });
  await t.test("the token is sent nowhere else", () => {
    assert.equal(calls.raw + calls.cdn, 0);
    assert.ok(calls.authorization.other.every((h) => h === undefined));
  });
  await t.test("the token is kept for this tab only", async () => {
    assert.equal(await page.evaluate(() => localStorage.getItem("m13.token")), null);
    assert.notEqual(await page.evaluate(() => sessionStorage.getItem("m13.token")), null);
  });
});
