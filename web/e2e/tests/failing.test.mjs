// A release with many kinds of failure at once: the statuses and the broken
// links agree with the CLI, and the screenshots of the report (phone and
// desktop, full page, and the picture) are saved for a person to look at.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { releaseUrl } from "../lib/github.mjs";
import { brokenEdges, cliReport, cliStatuses, deepLink, differences, openPage, shots, statuses, useSite, visibleGraph, withStatus } from "../lib/harness.mjs";
import { MANY_BROKEN_LINKS, MANY_FAILURES, manyFailuresTree, writeTree } from "../lib/trees.mjs";

const site = useSite();
const URL = releaseUrl();
const tree = manyFailuresTree();

test("a release with many failures, on a desktop", async (t) => {
  const { page, problems } = await openPage(t, site, { tree });
  await page.goto(deepLink(site, URL));
  const byUrl = await statuses(page);
  await t.test("each trap fails its rule", () => assert.deepEqual(withStatus(byUrl, "fail"), [...MANY_FAILURES].sort()));
  await t.test("the claim of a leftover PVC only warns", () => assert.equal(byUrl["volume-claims-exist"], "warn"));
  await t.test("the verdict counts them", async () =>
    assert.equal(await page.locator("#summary-heading").innerText(), `${MANY_FAILURES.length} rules fail: send it back with the fixes below.`));
  await t.test(`the picture has ${MANY_BROKEN_LINKS} broken links`, async () => assert.equal(await brokenEdges(page), MANY_BROKEN_LINKS));
  await t.test("the broken links are the selector, the probe, the hostname and the password", async () => {
    const kinds = await visibleGraph(page).locator('[data-edge-holds="false"]').evaluateAll((es) => es.map((e) => e.dataset.edgeKind).sort());
    assert.deepEqual(kinds, ["credential", "hostname", "probe", "selects"]);
  });
  await t.test("the rejected Deployment, the missing host and the two leftovers are marked", async () => {
    const marked = await visibleGraph(page).locator('[data-node-status]:not([data-node-status="ok"])').evaluateAll((ns) =>
      ns.map((n) => `${n.dataset.nodeId} ${n.dataset.nodeStatus}`).sort());
    assert.deepEqual(marked, [
      "deployment/mysite-deployment broken",
      "host/postgres1-postgresql missing",
      "pod/mysite-pod leftover",
      "pvc/mysite-pvc leftover",
    ]);
  });
  await page.screenshot({ path: join(shots, "failing-1280-full.png"), fullPage: true });
  await page.locator("section.graph").screenshot({ path: join(shots, "failing-graph-1280.png") });
  await t.test("no console errors", () => assert.deepEqual(problems, []));

  const dir = writeTree(tree);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = cliReport(dir, URL);
  const skip = report ? false : "SKIP_CLI";
  await t.test("the CLI gives the same statuses", { skip }, () => assert.equal(differences(cliStatuses(report), byUrl), ""));
  await t.test("the CLI finds the same broken links", { skip }, () =>
    assert.equal(report.graph.edges.filter((e) => !e.holds).length, MANY_BROKEN_LINKS));
});

test("a release with many failures, on a phone", async (t) => {
  const { page } = await openPage(t, site, { tree, viewport: { width: 360, height: 800 } });
  await page.goto(deepLink(site, URL));
  await statuses(page);
  await t.test("the one-column picture, with the same broken links", async () => {
    assert.equal(await visibleGraph(page).getAttribute("data-layout"), "narrow");
    assert.equal(await brokenEdges(page), MANY_BROKEN_LINKS);
  });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await t.test("no sideways scrolling", () => assert.ok(wide <= 360, `${wide} px`));
  await page.screenshot({ path: join(shots, "failing-360-full.png"), fullPage: true });
  await page.locator("section.graph").screenshot({ path: join(shots, "failing-graph-360.png") });
  await page.locator('[data-rule-id="secret-matches-values"]').screenshot({ path: join(shots, "failing-card-360.png") });
  await page.locator("section.export").screenshot({ path: join(shots, "failing-review-360.png") });
});

test("a release with many failures, in dark mode", async (t) => {
  const { page } = await openPage(t, site, { tree, colorScheme: "dark" });
  await page.goto(deepLink(site, URL));
  await statuses(page);
  await page.locator("section.graph").screenshot({ path: join(shots, "failing-graph-1280-dark.png") });
  await t.test("the picture follows the theme", async () => {
    const fill = await visibleGraph(page).locator(".node rect").first().evaluate((r) => getComputedStyle(r).fill);
    assert.notEqual(fill, "rgb(255, 255, 255)");
  });
});
