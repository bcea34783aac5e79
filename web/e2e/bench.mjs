// The web app's own timing, as a user meets it: from choosing a release zip
// to the results drawn, in headless Chromium against dist/ (build it first).
// It covers the checker's whole path: the worker reading the File, the
// rules, the graph layout and the review, the reply to the page, and the
// page drawing it. Medians of several runs, printed; nothing is asserted.
//
//   cargo xtask dist && (cd web/e2e && node bench.mjs)   (cargo xtask bench runs it)

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chromium } from "playwright-core";

import { SUB, checkerReady, serve } from "./lib/harness.mjs";
import { sampleTree } from "./lib/trees.mjs";
import { zipOf } from "./lib/zip.mjs";

/** A committed virtualenv: incompressible files adding up to `bytes` (as the native bench). */
function venv(bytes) {
  let state = 0x2545f4914f6cdd1dn;
  const mask = (1n << 64n) - 1n;
  const next = () => {
    state ^= (state << 13n) & mask;
    state ^= state >> 7n;
    state ^= (state << 17n) & mask;
    return state;
  };
  const size = 16 * 1024;
  const files = [];
  for (let i = 0; i < bytes / size; i++) {
    const data = Buffer.alloc(size);
    for (let at = 0; at < size; at += 8) data.writeBigUInt64LE(next(), at);
    files.push([`venv/lib/python3.11/site-packages/pkg${i % 97}/module${i}.py`, data]);
  }
  files.push(["venv/pyvenv.cfg", Buffer.from("home = /usr/bin\n")]);
  return files;
}

const prefix = "sam-rivera-cis-92-4b825dc/";
const sample = [...sampleTree()].map(([p, b]) => [prefix + p, b]);
const cases = [
  { name: "the sample release zip", zip: zipOf(sample), runs: 15 },
  { name: "50 MB zip with a committed virtualenv", zip: zipOf([...sample, ...venv(50 * 1024 * 1024).map(([p, b]) => [prefix + p, b])]), runs: 7 },
];

const server = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
// Every message from the checker is timestamped as it reaches the page: the
// last one before the results is the finished check.
await page.addInitScript(() => {
  window.benchReplies = [];
  const Native = window.Worker;
  window.Worker = function (...args) {
    const worker = new Native(...args);
    worker.addEventListener("message", () => window.benchReplies.push(performance.now()));
    return worker;
  };
  window.Worker.prototype = Native.prototype;
});
await page.goto(`http://127.0.0.1:${server.address().port}${SUB}`);
await checkerReady(page);
// Start when the file is chosen (before the page's own handler), stop when
// a new verdict heading is in the document.
await page.evaluate(() => {
  window.benchTimes = [];
  document.addEventListener("change", (e) => { if (e.target.id === "zip-file") window.benchStart = performance.now(); }, true);
  new MutationObserver(() => {
    const heading = document.getElementById("summary-heading");
    if (window.benchStart && heading && !heading.dataset.benchSeen) {
      heading.dataset.benchSeen = "1";
      const now = performance.now();
      const reply = window.benchReplies.at(-1);
      window.benchTimes.push({ total: now - window.benchStart, checker: reply - window.benchStart, page: now - reply });
      window.benchStart = 0;
    }
  }).observe(document.body, { childList: true, subtree: true });
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
// Playwright hands over files above 50 MB by path only.
const scratch = mkdtempSync(join(tmpdir(), "m13-bench-"));
console.log("web app in headless Chromium: a chosen zip to its results drawn (medians)");
for (const { name, zip, runs } of cases) {
  const path = join(scratch, "cis-92-milestone-13.1.zip");
  writeFileSync(path, zip);
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const count = await page.evaluate(() => window.benchTimes.length);
    await page.locator("#zip-file").setInputFiles(path);
    await page.waitForFunction((n) => window.benchTimes.length > n, count, { timeout: 60_000 });
    const time = await page.evaluate(() => window.benchTimes.at(-1));
    if (i > 0) times.push(time); // the first run warms the worker's code up
  }
  const size = zip.length < 1048576 ? `${(zip.length / 1024).toFixed(0)} KB` : `${(zip.length / 1048576).toFixed(1)} MB`;
  const of = (key) => times.map((t) => t[key]);
  console.log(
    `  ${name} (${size}), ${runs} runs: ${ms(median(of("total")))} (fastest ${ms(Math.min(...of("total")))}):` +
      ` checker ${ms(median(of("checker")))} (reading the file, the rules, layout, review, reply),` +
      ` page ${ms(median(of("page")))} (decoding and drawing)`,
  );
}
rmSync(scratch, { recursive: true, force: true });
await browser.close();
server.close();
