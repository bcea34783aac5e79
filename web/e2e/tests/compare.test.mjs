// The comparison with an earlier release: from a resubmission's result
// page, "Compare with an earlier release" lists the repository's earlier
// milestone-13 releases (one API call) and, for the one chosen, says which
// verdicts changed and which of the files the rules read changed, as the
// CLI's --compare-to does on the same two fixtures.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { answersForTags, releaseUrl } from "../lib/github.mjs";
import { deepLink, openPage, root, shots, statuses, useSite } from "../lib/harness.mjs";
import { fixtureDir, fixtureTree } from "../lib/trees.mjs";

const site = useSite();
// The first try left the old Pod behind; the resubmission removed it but
// now misses the probe.
const FIRST = { tag: "milestone-13.1", fixture: "bare-pod-left-behind" };
const SECOND = { tag: "milestone-13.2", fixture: "no-probe" };

test("a resubmission compared with the release sent back", async (t) => {
  const answers = answersForTags({ [FIRST.tag]: fixtureTree(FIRST.fixture), [SECOND.tag]: fixtureTree(SECOND.fixture) });
  const { page, problems, calls } = await openPage(t, site, { answers });
  const url = releaseUrl({ tag: SECOND.tag });
  await page.goto(deepLink(site, url));
  await statuses(page);
  await page.getByRole("link", { name: "Compare with an earlier release" }).click();
  const button = page.getByRole("button", { name: `Compare with ${FIRST.tag}` });
  await button.waitFor();
  await t.test("the earlier releases took one API call", () => assert.equal(calls.apiPaths.filter((p) => p.endsWith("/releases?per_page=100")).length, 1));
  await button.click();
  const section = page.locator(`#comparison[data-earlier="${FIRST.tag}"]`);
  await section.waitFor({ timeout: 30_000 });
  const changes = await section.locator("li[data-rule-id]").evaluateAll((items) =>
    Object.fromEntries(items.map((li) => [li.dataset.ruleId, li.dataset.change])),
  );
  const files = await section.locator("li[data-path]").evaluateAll((items) => Object.fromEntries(items.map((li) => [li.dataset.path, li.dataset.change])));

  const cli = process.env.SKIP_CLI
    ? null
    : spawnSync("cargo", ["run", "-q", "-p", "m13-cli", "--", "check", fixtureDir(SECOND.fixture), "--compare-to", fixtureDir(FIRST.fixture), "--format", "json"], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
  const comparison = cli ? JSON.parse(cli.stdout).comparison : null;
  await t.test("pod-removed fixed, health-check broken", () => {
    assert.equal(changes["pod-removed"], "fixed");
    assert.equal(changes["health-check"], "broken");
  });
  await t.test("the CLI's --compare-to on the same files gives the same changes", { skip: comparison ? false : "SKIP_CLI" }, () => {
    // A directory has no release URL: the two rules that read the tag are left out.
    const byUrl = (id) => ["release-tag", "image-milestone"].includes(id);
    const fromCli = Object.fromEntries(comparison.rules.filter((r) => !byUrl(r.id)).map((r) => [r.id, r.change]));
    const fromWeb = Object.fromEntries(Object.entries(changes).filter(([id]) => !byUrl(id)));
    assert.deepEqual(fromWeb, fromCli);
    const cliFiles = Object.fromEntries(comparison.files.map((f) => [f.path, f.change]));
    assert.deepEqual(files, cliFiles);
  });
  await t.test("the review says what was fixed since", async () => {
    const review = await page.locator("#compare-markdown").inputValue();
    assert.match(review, /### Since `milestone-13\.1`/);
    assert.ok(review.includes("pod-removed"));
  });
  await t.test("the review opens as an issue", async () => {
    const href = await page.getByRole("link", { name: /^Open an issue on / }).getAttribute("href");
    assert.ok(new URL(href).searchParams.get("body").includes("Since"));
  });
  await page.screenshot({ path: join(shots, "compare-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(shots, "compare-phone.png"), fullPage: true });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a first release has nothing to compare with", async (t) => {
  const answers = answersForTags({ [FIRST.tag]: fixtureTree(FIRST.fixture) });
  const { page, problems } = await openPage(t, site, { answers });
  await page.goto(`${site.base}?compare=${encodeURIComponent(releaseUrl({ tag: FIRST.tag }))}`);
  await t.test("says so", () => page.getByText("has no earlier milestone-13 release").waitFor());
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
