// When a release cannot be checked: a branch link, the API's hourly limit
// (the mirror stands in, then fails too), a tag without a release, no such
// tag, no such repository, raw.githubusercontent.com unreachable, offline.
// Each gets a clear message, and never a stack trace.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { OWNER, REPO, TAG, answersFor, json, missing, rate, releaseUrl } from "../lib/github.mjs";
import { RULES, checkerReady, deepLink, differences, openPage, shots, statuses, useSite } from "../lib/harness.mjs";
import { sampleTree } from "../lib/trees.mjs";

const site = useSite();
const URL = releaseUrl();
const tree = sampleTree();
const limited = () => json(403, { message: "API rate limit exceeded for 203.0.113.7." }, rate(0));

/** The error panel, once it shows a text matching `text`. */
async function alertWith(page, text) {
  const alert = page.getByRole("alert").filter({ hasText: text });
  await alert.waitFor();
  return alert.innerText();
}

test("links that are not releases are explained, not checked", async (t) => {
  const { page, calls } = await openPage(t, site, { tree });
  await page.goto(site.base);
  await page.locator("#release-url").focus();
  const reached = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
  }
  await t.test("Tab reaches every control", () =>
    assert.ok(["Check", "zip-file", "Try a sample", "GitHub token (optional)"].every((c) => reached.includes(c)), reached.join(", ")));
  await page.locator("#release-url").fill(`https://github.com/${OWNER}/${REPO}/tree/main`);
  await page.locator("#release-url").press("Enter");
  await page.getByText("This is the main branch, not a release: stop and ask for the release URL").waitFor();
  await t.test("a branch link is explained without any call", () => assert.equal(calls.api, 0));
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(shots, "branch-360.png") });
});

test("the API's limit is used up: the jsDelivr mirror stands in", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { release: limited, tree: limited }) });
  await page.goto(deepLink(site, URL));
  const byMirror = await statuses(page);
  await t.test("the mirror cannot prove a release: release-tag is manual", () => assert.equal(byMirror["release-tag"], "manual"));
  await t.test("the other rules as from GitHub", () =>
    assert.deepEqual(Object.keys(byMirror).filter((k) => byMirror[k] === "fail").sort(), ["cpu-request-range", "pvc-removed", "secret-matches-values"]));
  await t.test("the page says the mirror was used", async () =>
    assert.ok(await page.getByText("Files from the jsDelivr mirror of GitHub").isVisible()));
  await t.test("the files came from the mirror", () => assert.ok(calls.cdn > 0 && calls.raw === 0, `${calls.cdn} cdn, ${calls.raw} raw`));
  await page.screenshot({ path: join(shots, "mirror-1280.png") });
});

test("the limit is used up and the mirror refuses too", async (t) => {
  const refused = () => json(403, { status: 403, message: "Package size exceeded the configured limit of 50 MB." });
  const { page } = await openPage(t, site, {
    answers: answersFor(tree, { release: limited, tree: limited, listing: refused }),
    viewport: { width: 360, height: 800 },
  });
  await page.goto(deepLink(site, URL));
  const text = await alertWith(page, "hourly limit");
  await t.test("the error names the reset, the mirror's refusal and the zip", () => {
    assert.match(text, /resets at \d\d:\d\d/);
    assert.match(text, /Source code \(zip\)/);
    assert.match(text, /50 MB/);
  });
  await t.test("the error takes the focus", async () =>
    assert.equal(await page.evaluate(() => document.activeElement?.id), "error-heading"));
  await page.screenshot({ path: join(shots, "rate-limited-360.png") });
});

test("a tag without a release fails release-tag", async (t) => {
  const { page } = await openPage(t, site, { answers: answersFor(tree, { release: missing.release }) });
  await page.goto(deepLink(site, URL));
  await page.waitForSelector('[data-rule-id="release-tag"][data-status="fail"]');
  await t.test("and says why", async () => assert.ok(await page.getByText("exists but no release was made from it").isVisible()));
});

test("no such tag", async (t) => {
  const { page } = await openPage(t, site, { answers: answersFor(tree, missing) });
  await page.goto(deepLink(site, URL.replace(TAG, "milestone-13.9")));
  const text = await alertWith(page, "Release not found");
  await t.test("the message names the tag and mentions private repositories", () => {
    assert.match(text, /milestone-13\.9/);
    assert.match(text, /private/);
  });
});

test("a repository that does not exist", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(new Map(), missing) });
  await page.goto(deepLink(site, releaseUrl({ owner: "no-such-student", repo: "nothing-here" })));
  const text = await alertWith(page, "Release not found");
  await t.test("the message names the repository", () => assert.match(text, /no-such-student\/nothing-here/));
  await t.test("two API calls, no file asked for", () => {
    assert.equal(calls.api, 2);
    assert.equal(calls.raw + calls.cdn, 0);
  });
  await t.test("no finding is shown", async () => assert.equal(await page.locator("[data-rule-id]").count(), 0));
});

test("raw.githubusercontent.com and jsDelivr cannot be reached", async (t) => {
  const { page, problems, calls } = await openPage(t, site, { answers: answersFor(tree, { raw: () => "abort", cdn: () => "abort" }) });
  await page.goto(deepLink(site, URL));
  const text = await alertWith(page, "could not be downloaded");
  await t.test("the message names the host and what to do", () => {
    assert.match(text, /raw\.githubusercontent\.com/);
    assert.match(text, /Source code \(zip\)/);
  });
  await t.test("every file was tried", () => assert.ok(calls.raw > 0));
  await t.test("no finding is shown", async () => assert.equal(await page.locator("[data-rule-id]").count(), 0));
  await t.test("only the failed requests were logged", () =>
    assert.ok(problems.every((p) => /Failed to load resource|ERR_/.test(p)), problems.join(" | ")));
});

test("some files cannot be downloaded: the rules name them", async (t) => {
  const refuse = (host) => (path) => (path === "deployment/secret.yaml" ? "abort" : answersFor(tree)[host](path));
  const answers = answersFor(tree, { raw: refuse("raw"), cdn: refuse("cdn") });
  const { page } = await openPage(t, site, { answers });
  await page.goto(deepLink(site, URL));
  const byUrl = await statuses(page);
  await t.test("every rule still has a card", () => assert.equal(Object.keys(byUrl).length, RULES));
  await t.test("the unreadable Secret is named", async () =>
    assert.ok((await page.locator(".results").innerText()).includes("deployment/secret.yaml")));
  await t.test("the secret's rule cannot pass", () => assert.notEqual(byUrl["secret-matches-values"], "pass", differences(byUrl, {})));
});

test("offline", async (t) => {
  const { context, page } = await openPage(t, site, { tree });
  await page.goto(site.base);
  // The checker downloads right after the page shows; once it has, the
  // network can go.
  await checkerReady(page);
  await context.setOffline(true);
  await page.locator("#release-url").fill(URL.replace(TAG, "milestone-13.2"));
  await page.locator("#release-url").press("Enter");
  await t.test("is explained", () => alertWith(page, "No network"));
  await page.getByRole("button", { name: "Try a sample" }).click();
  await t.test("the sample still works", async () => assert.equal(Object.keys(await statuses(page)).length, RULES));
});

test("a checker that cannot be downloaded", async (t) => {
  const { context, page, calls } = await openPage(t, site, { tree, viewport: { width: 360, height: 800 } });
  // As if the network dropped between the page and its checker.
  await context.route(/m13-checker/, (route) => route.abort("internetdisconnected"));
  await page.goto(site.base);
  await page.locator("#release-url").fill(URL);
  await page.locator("#release-url").press("Enter");
  const text = await alertWith(page, "The checker stopped");
  await page.screenshot({ path: join(shots, "checker-stopped-360.png") });
  await t.test("is explained, with what to do", () => assert.match(text, /runs the rules stopped: its files could not be downloaded from this site\.\n?.*Reload the page/s));
  await t.test("and GitHub was not asked", () => assert.equal(calls.api + calls.raw + calls.cdn, 0));
  await context.unroute(/m13-checker/);
  await page.getByRole("button", { name: "Try a sample" }).click();
  await t.test("the next check starts a new checker", async () => assert.equal(Object.keys(await statuses(page)).length, RULES));
});
