// A dropped "Source code (zip)", with and without the release URL, a file
// that is not a zip, and the CLI on the same files.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OWNER, REPO, TAG, releaseUrl } from "../lib/github.mjs";
import { cliReport, cliStatuses, deepLink, differences, openPage, statuses, useSite } from "../lib/harness.mjs";
import { sampleDir, sampleTree } from "../lib/trees.mjs";
import { zipOf } from "../lib/zip.mjs";

const site = useSite();
const URL = releaseUrl();

test("a dropped zip", async (t) => {
  const tree = sampleTree();
  const { page, problems, calls } = await openPage(t, site, { tree });
  const zip = zipOf([...tree].map(([p, b]) => [`${OWNER}-${REPO}-4b825dc/${p}`, b]));
  const file = { name: `${REPO}-${TAG}.zip`, mimeType: "application/zip", buffer: zip };
  await page.goto(deepLink(site, URL));
  const byUrl = await statuses(page);
  await page.goto(site.base);
  await page.locator("#release-url").fill(URL);
  await page.locator("#zip-file").setInputFiles(file);
  await page.getByText("Files from the zip file").waitFor();
  const byZip = await statuses(page);
  await t.test("with the URL: the URL check's statuses", () => assert.equal(differences(byZip, byUrl), ""));
  await page.locator("#release-url").fill("");
  await page.locator("#zip-file").setInputFiles(file);
  await t.test("without the URL: release-tag is left to a person", async () =>
    page.waitForFunction(() => document.querySelector('[data-rule-id="release-tag"]')?.dataset.status === "manual"));
  calls.api = 0;
  await page.locator("#zip-file").setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
  await t.test("a file that is not a zip is explained", () => page.getByRole("alert").filter({ hasText: "not a release zip" }).waitFor());
  await t.test("no GitHub call for a zip", () => assert.equal(calls.api, 0));
  await t.test("no console errors", () => assert.deepEqual(problems, []));

  const report = cliReport(sampleDir, URL);
  await t.test("the CLI gives the browser's statuses", { skip: report ? false : "SKIP_CLI" }, () =>
    assert.equal(differences(cliStatuses(report), byUrl), ""));
});
