// The picture of how the pieces connect (issue 7): one inline SVG per size,
// a broken link red and dashed with its problem, every box and arrow a
// button that leads to its finding, and a text list for screen readers.

import assert from "node:assert/strict";
import { test } from "node:test";

import { brokenEdges, openPage, statuses, useSite, visibleGraph } from "../lib/harness.mjs";

const site = useSite();

async function sample(t, options = {}) {
  const opened = await openPage(t, site, options);
  await opened.page.goto(site.base);
  await opened.page.getByRole("button", { name: "Try a sample" }).click();
  await statuses(opened.page);
  return opened;
}

/** The rule of the finding card that has the focus. */
const focusedCard = (page) => page.evaluate(() => document.activeElement?.closest("[data-rule-id]")?.dataset.ruleId ?? null);

test("the sample's picture on a desktop", async (t) => {
  const { page, problems } = await sample(t);
  const svg = visibleGraph(page);
  await t.test("one picture is shown, the wide one", async () => {
    assert.equal(await svg.count(), 1);
    assert.equal(await svg.getAttribute("data-layout"), "wide");
  });
  await t.test("it has a title", async () =>
    assert.match(await svg.locator("title").first().textContent(), /How the Service, the Deployment/));
  await t.test("a box per piece, an arrow per link", async () => {
    assert.equal(await svg.locator("[data-node-id]").count(), 8);
    assert.equal(await svg.locator("[data-edge-kind]").count(), 10);
  });
  const broken = svg.locator('[data-edge-holds="false"]');
  await t.test("exactly one broken link: the admin password in the Secret", async () => {
    assert.equal(await brokenEdges(page), 1);
    assert.equal(await broken.getAttribute("data-edge-kind"), "credential");
    assert.match((await broken.locator("text").allTextContents()).join(" "), /^✗ POSTGRES_PASSWORD is auth\.postgresPassword/);
    assert.match(await broken.getAttribute("aria-label"), /broken: POSTGRES_PASSWORD is auth\.postgresPassword/);
  });
  await t.test("the broken link is red and dashed", async () => {
    const line = await broken.locator(".line").evaluate((l) => ({ dash: getComputedStyle(l).strokeDasharray, stroke: getComputedStyle(l).stroke }));
    const fail = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--fail").trim());
    assert.notEqual(line.dash, "none");
    assert.equal(line.stroke, hexToRgb(fail));
  });
  await t.test("the leftover PVC is marked", async () =>
    assert.equal(await svg.locator('[data-node-status="leftover"]').getAttribute("data-node-id"), "pvc/mysite-pvc"));
  await t.test("every box and arrow has a name for screen readers", async () => {
    const unnamed = await svg.locator("[data-node-id], [data-edge-kind]").evaluateAll((els) => els.filter((e) => !e.getAttribute("aria-label")).length);
    assert.equal(unnamed, 0);
  });
  await t.test("the broken links are listed as text", async () => {
    const items = await page.locator(".graph .broken-links li").allTextContents();
    assert.equal(items.length, 1);
    assert.match(items[0], /^Secret mysite-secret to Helm values values-postgres\.yaml/);
  });
  await t.test("clicking the broken link shows its finding", async () => {
    await broken.locator(".tag rect").click();
    assert.equal(await focusedCard(page), "secret-matches-values");
    assert.ok(await page.locator('[data-rule-id="secret-matches-values"]').isVisible());
  });
  await t.test("Enter on a box shows its finding", async () => {
    await svg.locator('[data-node-id="pvc/mysite-pvc"]').focus();
    await page.keyboard.press("Enter");
    assert.equal(await focusedCard(page), "pvc-removed");
  });
  await t.test("Space on an arrow shows its finding", async () => {
    await svg.locator('[data-edge-kind="selects"]').focus();
    await page.keyboard.press(" ");
    assert.equal(await focusedCard(page), "service-loadbalancer");
  });
  await t.test("Tab reaches the picture's buttons", async () => {
    await page.locator("#summary-heading").focus();
    let reached = null;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.closest("svg.release-graph") ? document.activeElement.getAttribute("aria-label") : null);
    }
    assert.ok(reached, "no element of the picture was reached");
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("the sample's picture on a phone", async (t) => {
  const { page } = await sample(t, { viewport: { width: 360, height: 800 } });
  const svg = visibleGraph(page);
  await t.test("the one-column picture is shown", async () => {
    assert.equal(await svg.count(), 1);
    assert.equal(await svg.getAttribute("data-layout"), "narrow");
  });
  await t.test("with the same broken link", async () => assert.equal(await brokenEdges(page), 1));
  await t.test("links that hold between the same two boxes are one arrow", async () => {
    assert.equal(await svg.locator("[data-edge-kind]").count(), 9);
    const credentials = await svg.locator('[data-edge-kind="credential"]').evaluateAll((es) => es.map((e) => e.getAttribute("aria-label")));
    assert.equal(credentials.length, 2);
    assert.ok(credentials.some((label) => /POSTGRES_USER = auth\.username, POSTGRES_DB = auth\.database: holds/.test(label)), credentials.join(" | "));
  });
  await t.test("it fits the screen", async () => {
    const box = await svg.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, JSON.stringify(box));
  });
  await t.test("its boxes are readable: text at least 10 px", async () => {
    const scale = await svg.evaluate((s) => s.getBoundingClientRect().width / s.viewBox.baseVal.width);
    assert.ok(scale * 11 >= 10, `scale ${scale}`);
  });
  await t.test("a tap on a box shows its finding", async () => {
    await svg.locator('[data-node-id="secret/mysite-secret"] rect').click();
    assert.equal(await focusedCard(page), null, "the Secret's box leads to no finding");
    await svg.locator('[data-node-id="service/mysite-svc"] rect').click();
    assert.equal(await focusedCard(page), "service-loadbalancer");
  });
});

function hexToRgb(hex) {
  const n = parseInt(hex.replace("#", ""), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
