// A file whose content is markup and script: shown as text, never run.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { releaseUrl } from "../lib/github.mjs";
import { deepLink, openPage, shots, statuses, useSite } from "../lib/harness.mjs";
import { PAYLOAD, hostileTree } from "../lib/trees.mjs";

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
