// The web app against GitHub as it really answers (see lib/github.mjs):
// a branch posted as a tag, a tag without a release, a private repository
// with and without a token, the raw host's rate limit, a tag holding `/`,
// and symbolic links in the tree. The last test serves GitHub's and
// jsDelivr's host names from a real local HTTPS server, so the browser
// does real CORS, including the preflight a token's `Authorization` brings.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { chromium } from "playwright-core";

import { OWNER, REPO, TOKEN, answersFor, browserArgs, rawLimited, releaseUrl, serveHosts } from "../lib/github.mjs";
import { RULES, deepLink, differences, openPage, statuses, useSite, withStatus } from "../lib/harness.mjs";
import { sampleTree } from "../lib/trees.mjs";

const site = useSite();
const tree = sampleTree();
const SAMPLE_FAILS = ["cpu-request-range", "pvc-removed", "secret-matches-values"];

/** The error panel, once it shows a text matching `text`. */
async function alertWith(page, text) {
  const alert = page.getByRole("alert").filter({ hasText: text });
  await alert.waitFor();
  return alert.innerText();
}

/** Types the token, then checks `url`. */
async function checkWithToken(page, url) {
  await page.goto(site.base);
  await page.locator("summary", { hasText: "GitHub token" }).click();
  await page.locator("#github-token").fill(TOKEN);
  await page.locator("#github-token").press("Tab");
  await page.locator("#release-url").fill(url);
  await page.locator("#release-url").press("Enter");
}

test("a branch posted as a tag fails release-tag: no such tag", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { tag: "main", kind: "branch" }) });
  await page.goto(deepLink(site, releaseUrl({ tag: "main" })));
  const card = page.locator('[data-rule-id="release-tag"][data-status="fail"]');
  await card.waitFor();
  const text = await card.innerText();
  await t.test("the message says the repository has no such tag, a branch perhaps", () => {
    // The page draws `main` as code: its text has no backticks.
    assert.match(text, /The repository has no tag main:/);
    assert.match(text, /a branch, perhaps/);
  });
  await t.test("three API calls: the release, the tree, the tag's ref", () => {
    assert.equal(calls.api, 3);
    assert.equal(calls.ref, 1);
  });
  await t.test("the branch's files are still checked: every rule has a verdict", async () =>
    assert.equal(Object.keys(await statuses(page)).length, RULES));
});

test("a tag without a release fails release-tag after asking for the ref", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { kind: "tag" }) });
  await page.goto(deepLink(site, releaseUrl()));
  await page.waitForSelector('[data-rule-id="release-tag"][data-status="fail"]');
  await t.test("it says the tag exists", async () => assert.ok(await page.getByText("exists but no release was made from it").isVisible()));
  await t.test("three API calls", () => assert.equal(calls.api, 3));
  await t.test("the note counts them", async () => assert.ok(await page.getByText("api.github.com (3 calls)").isVisible()));
});

test("a published release costs two API calls and asks for no ref", async (t) => {
  const { page, calls } = await openPage(t, site, { tree });
  await page.goto(deepLink(site, releaseUrl()));
  await statuses(page);
  assert.equal(calls.api, 2);
  assert.equal(calls.ref, 0);
});

test("a private repository with a token: files through the API", async (t) => {
  const { page: publicPage } = await openPage(t, site, { tree });
  await publicPage.goto(deepLink(site, releaseUrl()));
  const asPublic = await statuses(publicPage);
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { private: true }) });
  await checkWithToken(page, releaseUrl());
  const asPrivate = await statuses(page);
  await t.test("the same verdicts as the public release", () => assert.equal(differences(asPrivate, asPublic), ""));
  await t.test("the sample's three rules fail", () => assert.deepEqual(withStatus(asPrivate, "fail"), SAMPLE_FAILS));
  await t.test("the files came as blobs, as raw bytes", () => {
    assert.ok(calls.blobs > 0);
    assert.equal(calls.api, 2 + calls.blobs);
    assert.deepEqual(calls.accept.slice(2), Array(calls.blobs).fill("application/vnd.github.raw+json"));
  });
  await t.test("neither the raw host nor jsDelivr was asked", () => assert.equal(calls.raw + calls.cdn + calls.listing, 0));
  await t.test("the token went to every API call and nowhere else", () => {
    assert.ok(calls.authorization.api.every((h) => h === `Bearer ${TOKEN}`));
    assert.deepEqual(calls.authorization.other, []);
  });
  await t.test("the note counts the calls", async () =>
    assert.ok(await page.getByText(`${2 + calls.blobs} calls in all`).isVisible()));
  await t.test("the token's window is shown after the last call", async () =>
    assert.ok(await page.getByText(`${5000 - calls.api} of 5000 GitHub API calls left`).isVisible()));
});

test("a private repository without a token is not found", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { private: true }) });
  await page.goto(deepLink(site, releaseUrl()));
  const text = await alertWith(page, "Release not found");
  await t.test("the message mentions private repositories", () => assert.match(text, /private/));
  await t.test("two API calls, no file asked for", () => {
    assert.equal(calls.api, 2);
    assert.equal(calls.raw + calls.cdn, 0);
  });
});

test("a tree that answers but every file refused: maybe private", async (t) => {
  const refused = () => ({ status: 404, headers: { "access-control-allow-origin": "*" }, body: "404: Not Found" });
  const { page } = await openPage(t, site, { answers: answersFor(tree, { raw: refused }) });
  await page.goto(deepLink(site, releaseUrl()));
  const text = await alertWith(page, "may be private");
  await t.test("one load error, asking for a token", () => assert.match(text, /give a token that can read it/));
  await t.test("no finding is shown", async () => assert.equal(await page.locator("[data-rule-id]").count(), 0));
});

test("the raw host answers 429: jsDelivr serves the files, the release stays proved", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { raw: rawLimited }) });
  await page.goto(deepLink(site, releaseUrl()));
  const byRule = await statuses(page);
  await t.test("complete verdicts", () => {
    assert.equal(Object.keys(byRule).length, RULES);
    assert.deepEqual(withStatus(byRule, "fail"), SAMPLE_FAILS);
  });
  await t.test("release-tag is judged from the API's release, not manual", () => assert.equal(byRule["release-tag"], "pass"));
  await t.test("every refused file was asked of jsDelivr, without a listing", () => {
    assert.equal(calls.cdn, calls.raw);
    assert.equal(calls.listing, 0);
  });
  await t.test("the page says where the files came from", async () => {
    assert.ok(await page.getByText("came from the jsDelivr mirror instead").isVisible());
    assert.ok(await page.getByText("may be the old files").first().isVisible());
  });
});

test("the raw host and jsDelivr both unreachable: one load error", async (t) => {
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { raw: () => "abort", cdn: () => "abort" }) });
  await page.goto(deepLink(site, releaseUrl()));
  const text = await alertWith(page, "could not be downloaded");
  await t.test("names the raw host", () => assert.match(text, /raw\.githubusercontent\.com/));
  await t.test("both were tried", () => assert.ok(calls.raw > 0 && calls.cdn === calls.raw));
});

test("a tag holding `/` is sent as path segments", async (t) => {
  const tag = "cis-92/milestone-13.1";
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { tag }) });
  await page.goto(deepLink(site, releaseUrl({ tag })));
  const byRule = await statuses(page);
  await t.test("every rule has a card", () => assert.equal(Object.keys(byRule).length, RULES));
  await t.test("the API got the tag unencoded", () => {
    assert.ok(calls.apiPaths.includes(`/repos/${OWNER}/${REPO}/releases/tags/${tag}`), calls.apiPaths.join(" "));
    assert.ok(calls.apiPaths.includes(`/repos/${OWNER}/${REPO}/git/trees/${tag}?recursive=1`), calls.apiPaths.join(" "));
  });
  await t.test("the files came from the raw host at that tag", () => assert.ok(calls.raw > 0 && calls.cdn === 0));
});

test("symbolic links in the tree are skipped", async (t) => {
  const symlinks = [["deployment/linked.yaml", "deployment.yaml"]];
  const { page, calls } = await openPage(t, site, { answers: answersFor(tree, { symlinks }) });
  await page.goto(deepLink(site, releaseUrl()));
  const byRule = await statuses(page);
  await t.test("the same verdicts as without it", () => assert.deepEqual(withStatus(byRule, "fail"), SAMPLE_FAILS));
  await t.test("the link was not downloaded", () => assert.ok(calls.raw > 0 && !calls.rawPaths.some((p) => p.endsWith("/linked.yaml"))));
});

/** A browser of its own whose GitHub and jsDelivr are a real server for `answers`. */
async function realHosts(t, answers) {
  const { server, calls } = await serveHosts(answers, mkdtempSync(join(tmpdir(), "m13-hosts-")));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", ...browserArgs(server)],
  });
  t.after(async () => {
    await browser.close();
    server.closeAllConnections();
    server.close();
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, calls };
}

test("real hosts: CORS as the browser does it", async (t) => {
  await t.test("anonymous: no preflight, files from the raw host", async (t) => {
    const { page, calls } = await realHosts(t, answersFor(tree));
    await page.goto(deepLink(site, releaseUrl()));
    const byRule = await statuses(page);
    assert.deepEqual(withStatus(byRule, "fail"), SAMPLE_FAILS);
    assert.equal(calls.api, 2);
    assert.equal(calls.preflights, 0);
    assert.ok(calls.raw > 0);
    assert.deepEqual(calls.other, []);
    assert.ok(await page.getByText("56 of 60 GitHub API calls left").isVisible(), "the exposed rate-limit headers are read");
  });
  await t.test("a private repository with a token: preflighted, through the API only", async (t) => {
    const { page, calls } = await realHosts(t, answersFor(tree, { private: true }));
    await checkWithToken(page, releaseUrl());
    const byRule = await statuses(page);
    assert.deepEqual(withStatus(byRule, "fail"), SAMPLE_FAILS);
    assert.ok(calls.preflights > 0, "the Authorization header was preflighted");
    assert.ok(calls.blobs > 0);
    assert.equal(calls.raw + calls.cdn, 0);
    assert.ok(calls.authorization.api.every((h) => h === `Bearer ${TOKEN}`));
  });
});
