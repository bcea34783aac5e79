// Which build produced a result: the footer names the version and the build
// date, and the review to post names the version and the commit.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { openPage, root, statuses, useSite } from "../lib/harness.mjs";

const site = useSite();
const VERSION = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)?.[1];

test("the footer and the review say which version made them", async (t) => {
  assert.ok(VERSION, "the workspace version is in Cargo.toml");
  const { page, problems } = await openPage(t, site);
  await page.goto(site.base);
  const footer = await page.locator("footer.site .build").innerText();
  await t.test("the footer names the version and a build date", () =>
    assert.match(footer, new RegExp(`^milestone-check ${VERSION.replaceAll(".", "\\.")}( \\([0-9a-f]{7,40}\\))?, built \\d{4}-\\d{2}-\\d{2}$`)));
  await page.getByRole("button", { name: "Try a sample" }).click();
  await statuses(page);
  const review = await page.locator("#review-markdown").inputValue();
  await t.test("the review names the version", () => assert.ok(review.includes(`milestone-check ${VERSION}`), review.slice(-300)));
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
