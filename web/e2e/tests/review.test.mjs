// The review as a new issue on the reviewee's repository: the link's
// title and body, decoded, on the sample and on a long failing review,
// within GitHub's URL limit, every failing rule named by id and title.

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";

import { OWNER, REPO, TAG, releaseUrl } from "../lib/github.mjs";
import { cliReport, deepLink, openPage, statuses, useSite, withStatus } from "../lib/harness.mjs";
import { manyFailuresTree, sampleDir, writeTree } from "../lib/trees.mjs";

const site = useSite();
const MAX = 8192;

/** The issue link's address, title and body, as GitHub will read them. */
async function issueLink(page) {
  const link = page.getByRole("link", { name: `Open an issue on ${OWNER}/${REPO}` });
  const href = await link.getAttribute("href");
  const url = new URL(href);
  return { href, url, title: url.searchParams.get("title"), body: url.searchParams.get("body") };
}

/** A rule title as the Markdown review writes it (its punctuation escaped). */
const escaped = (text) => text.replace(/[\\`*_[\]|~#$@]/g, "\\$&");

/** `id`: title of each rule the CLI fails (the headings the body must keep). */
const failedHeadings = (report) =>
  report.results.filter((r) => r.status === "fail").map((r) => `\`${r.id}\`: ${escaped(r.title)}`);

test("the sample's review opens as an issue on its repository", async (t) => {
  const { page, problems } = await openPage(t, site);
  await page.goto(site.base);
  await page.getByRole("button", { name: "Try a sample" }).click();
  const byRule = await statuses(page);
  const { href, url, title, body } = await issueLink(page);
  await t.test("on the sample's repository", () => assert.equal(`${url.origin}${url.pathname}`, `https://github.com/${OWNER}/${REPO}/issues/new`));
  await t.test("within 8,192 characters", () => assert.ok(href.length <= MAX, `${href.length}`));
  await t.test("every value is percent-encoded (no raw space, #, + or &)", () =>
    assert.doesNotMatch(href.slice(href.indexOf("?")), /[ #+]|&(?!body=)/));
  await t.test("titled with the verdict and the tag", () => assert.equal(title, `Milestone 13 review: ❌ changes needed (${TAG})`));
  await t.test("the body is the review, naming every failing rule", async () => {
    const review = await page.locator("#review-markdown").inputValue();
    assert.equal(body.split("\n")[0], review.split("\n")[0]);
    const report = cliReport(sampleDir, releaseUrl());
    const headings = report ? failedHeadings(report) : withStatus(byRule, "fail").map((id) => `\`${id}\``);
    assert.equal(headings.length, 3);
    for (const heading of headings) assert.ok(body.includes(heading), `${heading} is not in the body`);
  });
  await t.test("the link opens a new tab, with no opener", async () => {
    const link = page.getByRole("link", { name: `Open an issue on ${OWNER}/${REPO}` });
    assert.equal(await link.getAttribute("target"), "_blank");
    assert.match(await link.getAttribute("rel"), /noopener/);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a long failing review is shortened to fit, and says so", async (t) => {
  const tree = manyFailuresTree();
  const { page, problems } = await openPage(t, site, { tree });
  await page.goto(deepLink(site, releaseUrl()));
  await statuses(page);
  const review = await page.locator("#review-markdown").inputValue();
  const { href, title, body } = await issueLink(page);
  await t.test("the whole review would not fit", () => assert.ok(encodeURIComponent(review).length > MAX, `${review.length}`));
  await t.test("the link fits in 8,192 characters", () => assert.ok(href.length <= MAX, `${href.length}`));
  await t.test("titled with the verdict", () => assert.equal(title, `Milestone 13 review: ❌ changes needed (${TAG})`));
  await t.test("the body says it was shortened, the passes first", () => {
    assert.match(body, /Shortened to fit in a link \(left out: the rules that passed/);
    assert.doesNotMatch(body, /\| ✅ \|/);
  });
  await t.test("the page says so and keeps the whole review copyable", async () => {
    assert.match(await page.locator(".issue-shortened").innerText(), /shortened review/);
    assert.ok(review.length > body.length);
    assert.ok(await page.getByRole("button", { name: "Copy the review" }).isVisible());
  });
  const dir = writeTree(tree);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = cliReport(dir, releaseUrl());
  await t.test("every rule the CLI fails keeps its id and title", () => {
    if (!report) return;
    const headings = failedHeadings(report);
    assert.ok(headings.length >= 10, `${headings.length}`);
    for (const heading of headings) assert.ok(body.includes(heading), `${heading} is not in the body`);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});
