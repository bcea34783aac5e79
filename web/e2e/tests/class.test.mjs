// The class view: three release URLs by `?urls=` (a roster with names),
// three zips chosen at once on the single-release page, each row equal to
// the CLI's verdicts for the same files; the CSV and Markdown exports in
// the CLI's columns; the jsDelivr mirror for the rows GitHub's hourly limit
// cannot cover, marked; screenshots on a phone and a desktop.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { TAG, answersByRepo, answersFor, releaseUrl } from "../lib/github.mjs";
import { axeViolations, cliReport, cliStatuses, differences, openPage, root, shots, useSite } from "../lib/harness.mjs";
import { fixtureDir, fixtureTree } from "../lib/trees.mjs";
import { zipOf } from "../lib/zip.mjs";

const site = useSite();

/** Three students, each a fixture of the rules crate: one passes, two fail differently. */
const CLASS = [
  { owner: "ana-lopez", fixture: "sp24-pass", line: (url) => `Ana Lopez, ${url}`, label: "Ana Lopez" },
  { owner: "sam-rivera", fixture: "bare-pod-left-behind", line: (url) => url, label: null, shown: `sam-rivera/cis-92 ${TAG}` },
  { owner: "kim-park", fixture: "claim-without-pvc", line: (url) => `"Park, Kim"\t${url}\tlate`, label: "Park, Kim" },
].map((s) => ({ ...s, url: releaseUrl({ owner: s.owner }) }));

const classAnswers = () =>
  answersByRepo(Object.fromEntries(CLASS.map((s) => [`${s.owner}/cis-92`, answersFor(fixtureTree(s.fixture))])));

const urlsLink = (lines) => `${site.base}?urls=${encodeURIComponent(lines.join("\n"))}`;

/** Every row of the table once none is waiting or running. */
async function finishedRows(page, count) {
  await page.waitForFunction(
    (n) => {
      const rows = [...document.querySelectorAll("table.class-table tbody tr[data-source]")];
      return rows.length === n && rows.every((r) => !["waiting", "running"].includes(r.dataset.result));
    },
    count,
    { timeout: 60_000 },
  );
  return page.$$eval("table.class-table tbody tr[data-source]", (rows) =>
    rows.map((r) => ({
      source: r.dataset.source,
      result: r.dataset.result,
      mirror: r.dataset.mirror === "true",
      name: r.querySelector("th.name").textContent,
      cells: Object.fromEntries([...r.querySelectorAll("td[data-rule-id]")].map((c) => [c.dataset.ruleId, c.dataset.status])),
    })),
  );
}

/** The class-table line the CLI's verdicts give, after the label (CSV). */
function csvLineOf(report) {
  const count = (status) => report.results.filter((r) => r.status === status).length;
  const failed = report.results.filter((r) => r.status === "fail").map((r) => r.id);
  return [failed.length === 0 ? "ready" : "changes needed", count("pass"), count("fail"), count("warn"), count("manual"), failed.join(" ")].join(",");
}

/** A CSV's lines after the header, each without its first field (the label). */
const csvBodies = (csv) =>
  csv
    .trim()
    .split("\r\n")
    .slice(1)
    .map((line) => line.replace(/^("([^"]|"")*"|[^,]*),/, ""));

test("a class by ?urls=", async (t) => {
  const { page, problems, calls } = await openPage(t, site, { answers: classAnswers() });
  await page.goto(urlsLink(CLASS.map((s) => s.line(s.url))));
  const rows = await finishedRows(page, 3);
  const reports = CLASS.map((s) => cliReport(fixtureDir(s.fixture), s.url));

  await t.test("a row per release, in the list's order, named as the list names it", async () => {
    assert.deepEqual(rows.map((r) => r.source), CLASS.map((s) => s.url));
    // A URL without a name reads as owner/repo tag; its label stays the URL (title, exports).
    assert.deepEqual(rows.map((r) => r.name), CLASS.map((s) => s.label ?? s.shown));
    const titles = await page.$$eval("table.class-table tbody th.name", (ths) => ths.map((th) => th.title));
    assert.deepEqual(titles, CLASS.map((s) => s.label ?? s.url));
  });
  await t.test("the verdicts", () => assert.deepEqual(rows.map((r) => r.result), ["ready", "changes-needed", "changes-needed"]));
  await t.test("a cell per rule, the thirteen requirements first", async () => {
    const heads = await page.$$eval("table.class-table th.rule", (ths) => ths.map((th) => th.dataset.ruleId));
    assert.equal(heads.length, 26);
    const groups = await page.$$eval("table.class-table tr.groups th", (ths) => ths.map((th) => [th.textContent, th.colSpan]));
    assert.deepEqual(groups, [["Requirements", 13], ["Deeper checks", 13]]);
    assert.equal(heads[0], "release-tag");
    const first = reports[0];
    if (first) {
      assert.deepEqual(heads, first.results.map((r) => r.id));
      assert.ok(first.results.slice(0, 13).every((r) => r.kind === "requirement"));
    }
    for (const row of rows) assert.equal(Object.keys(row.cells).length, 26);
  });
  for (const [i, student] of CLASS.entries()) {
    await t.test(`${student.fixture}: the CLI's statuses`, { skip: reports[i] ? false : "SKIP_CLI" }, () =>
      assert.equal(differences(rows[i].cells, cliStatuses(reports[i])), ""));
  }
  await t.test("two API calls a release, no mirror", () => {
    assert.equal(calls.api, 6);
    assert.ok(rows.every((r) => !r.mirror));
  });

  await t.test("the CSV export: the CLI's columns and verdicts", { skip: reports[0] ? false : "SKIP_CLI" }, async () => {
    const csv = await page.locator('pre[data-export="csv"]').textContent();
    assert.equal(csv.split("\r\n")[0], "Release,Result,Pass,Fail,Warn,Manual,Failed rules");
    assert.ok(csv.split("\r\n")[1].startsWith("Ana Lopez,"));
    assert.ok(csv.split("\r\n")[3].startsWith('"Park, Kim",'));
    assert.deepEqual(csvBodies(csv), reports.map(csvLineOf));
  });
  await t.test("the Markdown export: the CLI's table", async () => {
    const markdown = await page.locator('pre[data-export="markdown"]').textContent();
    assert.match(markdown, /^## Milestone 13: 3 releases\n\n1 ready for the cluster test, 2 with changes needed, 0 could not be checked\.\n/);
    assert.ok(markdown.includes("| Release | Result | Pass | Fail | Warn | Manual | Failed rules |"));
    assert.ok(markdown.includes("| Ana Lopez | ✅ ready |"));
    assert.ok(markdown.includes("| Park, Kim | ❌ changes needed |"));
  });
  await t.test("each row links to its report, which links to the full one", async () => {
    await page.locator("table.class-table tbody tr").nth(1).locator("th.name a").click();
    const report = page.locator("#report-1");
    await assert.doesNotReject(() => report.locator("[data-rule-id][data-status=fail]").first().waitFor());
    const full = await report.getByRole("link", { name: "Open the full report" }).getAttribute("href");
    assert.equal(new URL(full, site.base).searchParams.get("url"), CLASS[1].url);
  });

  for (const [size, viewport] of Object.entries({ phone: { width: 360, height: 800 }, desktop: { width: 1280, height: 900 } })) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, document.querySelector(".class-results").offsetTop));
    await page.screenshot({ path: join(shots, `class-${size}.png`) });
  }
  await t.test("on a phone the table scrolls sideways inside its box, the name column fixed", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    const wrap = page.locator(".class-table-wrap");
    const { scrollWidth, clientWidth } = await wrap.evaluate((w) => ({ scrollWidth: w.scrollWidth, clientWidth: w.clientWidth }));
    assert.ok(scrollWidth > clientWidth, `${scrollWidth} <= ${clientWidth}`);
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 360, `the page itself is ${pageWidth}px wide`);
    const before = await page.locator("tbody th.name").first().boundingBox();
    await wrap.evaluate((w) => (w.scrollLeft = 400));
    const after = await page.locator("tbody th.name").first().boundingBox();
    assert.equal(Math.round(after.x), Math.round(before.x));
    await page.screenshot({ path: join(shots, "class-phone-scrolled.png") });
  });
  for (const colorScheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme });
    await page.$$eval("details", (all) => all.forEach((d) => (d.open = true)));
    const found = await axeViolations(page);
    if (found.other.length > 0) t.diagnostic(found.other.join("\n"));
    await t.test(`axe, phone, ${colorScheme}, every report open: no serious or critical violation`, () => assert.deepEqual(found.blocking, []));
  }
  await page.screenshot({ path: join(shots, "class-phone-dark.png"), fullPage: true });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("three zips chosen at once open the class view", async (t) => {
  const { page, problems, calls } = await openPage(t, site, { answers: classAnswers() });
  await page.goto(site.base);
  const files = CLASS.map((s) => ({
    name: `${s.owner}-cis-92-${TAG}.zip`,
    mimeType: "application/zip",
    buffer: zipOf([...fixtureTree(s.fixture)].map(([p, b]) => [`${s.owner}-cis-92-1a2b3c4/${p}`, b])),
  }));
  await page.locator("#zip-file").setInputFiles(files);
  const rows = await finishedRows(page, 3);
  await t.test("the page reloads as the class view, the zips handed over", async () => {
    assert.ok(new URL(page.url()).searchParams.has("class"));
    assert.equal(await page.locator("#release-url").count(), 0);
    assert.equal(await page.locator("#github-token").count(), 1);
  });
  await t.test("a row per zip, by its file name", () => assert.deepEqual(rows.map((r) => r.source), files.map((f) => f.name)));
  const cli = process.env.SKIP_CLI
    ? null
    : spawnSync("cargo", ["run", "-q", "-p", "m13-cli", "--", "check", ...CLASS.map((s) => fixtureDir(s.fixture)), "--format", "json"], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
  const reports = cli ? JSON.parse(cli.stdout) : null;
  for (const [i, student] of CLASS.entries()) {
    await t.test(`${student.fixture}.zip: the CLI's statuses for the same files`, { skip: reports ? false : "SKIP_CLI" }, () =>
      assert.equal(differences(rows[i].cells, cliStatuses(reports[i])), ""));
  }
  await t.test("the CSV: the CLI's --format csv, row for row", { skip: reports ? false : "SKIP_CLI" }, async () => {
    const csv = await page.locator('pre[data-export="csv"]').textContent();
    const fromCli = spawnSync("cargo", ["run", "-q", "-p", "m13-cli", "--", "check", ...CLASS.map((s) => fixtureDir(s.fixture)), "--format", "csv"], {
      cwd: root,
      encoding: "utf8",
    }).stdout;
    assert.deepEqual(csvBodies(csv), csvBodies(fromCli));
  });
  await t.test("no GitHub call for zips", () => assert.equal(calls.api, 0));
  await t.test("a reload does not check them again", async () => {
    await page.reload();
    await page.locator("#class-list").waitFor();
    assert.equal(await page.locator("table.class-table").count(), 0);
  });

  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("the rows GitHub's hourly limit cannot cover come from the mirror, marked", async (t) => {
  const { context, page, problems, calls } = await openPage(t, site, { answers: classAnswers() });
  // The last window this browser saw: 5 calls left for 30 minutes, less
  // than one check (2) and the reserve (4).
  const reset = Math.floor(Date.now() / 1000) + 1800;
  await context.addInitScript((rate) => localStorage.setItem("m13.rate.v2", rate), `60 5 ${reset}`);
  await page.goto(urlsLink(CLASS.map((s) => s.url)));
  const rows = await finishedRows(page, 3);
  await t.test("every row from the mirror, marked", () => assert.deepEqual(rows.map((r) => r.mirror), [true, true, true]));
  await t.test("no API call spent", () => assert.equal(calls.api, 0));
  await t.test("release-tag left to a person on a mirrored row", () => assert.equal(rows[0].cells["release-tag"], "manual"));
  await t.test("the Markdown export names them", async () => {
    const markdown = await page.locator('pre[data-export="markdown"]').textContent();
    assert.match(markdown, /Files from the jsDelivr mirror/);
  });
  await t.test("no console errors", () => assert.deepEqual(problems, []));
});

test("a list with a line that is not a release says why in its row", async (t) => {
  const { page, problems } = await openPage(t, site, { answers: classAnswers() });
  await page.goto(site.base + "?class");
  await page.locator("#class-list").fill(`${CLASS[0].url}\nhttps://github.com/ana-lopez/cis-92/tree/main\nhttps://github.com/nobody/none/releases/tag/${TAG}`);
  await page.getByRole("button", { name: "Check every release" }).click();
  const rows = await finishedRows(page, 3);
  await t.test("the address holds the list", () => assert.ok(new URL(page.url()).searchParams.get("urls").includes(CLASS[0].url)));
  await t.test("results", () => assert.deepEqual(rows.map((r) => r.result), ["ready", "not-checked", "not-checked"]));
  await t.test("why, in the row", async () => {
    const text = await page.locator("table.class-table tbody tr").nth(1).textContent();
    assert.match(text, /main branch/);
    const missing = await page.locator("table.class-table tbody tr").nth(2).textContent();
    assert.match(missing, /Release not found/);
  });
  await t.test("no console errors but the 404s", () => assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []));
});
