// What every test file shares: the built site (dist/) served from a
// sub-directory the way GitHub Pages serves it, headless Chromium (the
// system's, driven by playwright-core), a fresh browser context per
// scenario with GitHub answered by fixtures, and small helpers that read
// the page by its data attributes.

import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { answersFor, routeHosts } from "./github.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../..");
export const dist = join(root, "dist");
export const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");
export const SUB = "/milestone-check/";
/** How many rules the registry has (one card each). */
export const RULES = 26;

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };

export function serve() {
  return new Promise((ready) => {
    const server = createServer((request, response) => {
      const path = new URL(request.url, "http://x").pathname;
      if (!path.startsWith(SUB)) return response.writeHead(404).end("outside the sub-path");
      let file = join(dist, decodeURIComponent(path.slice(SUB.length)) || "index.html");
      if (!file.startsWith(dist)) return response.writeHead(403).end();
      try {
        if (statSync(file).isDirectory()) file = join(file, "index.html");
        response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
      } catch {
        response.writeHead(404).end("not found");
      }
    });
    server.listen(0, "127.0.0.1", () => ready(server));
  });
}

/**
 * Starts the site and the browser before this file's tests and stops them
 * after; returns an object whose `base` (the site's URL) and `browser` are
 * set once `before` ran.
 */
export function useSite() {
  const site = { base: "", browser: null, server: null };
  before(async () => {
    statSync(join(dist, "index.html"));
    mkdirSync(shots, { recursive: true });
    site.server = await serve();
    site.base = `http://127.0.0.1:${site.server.address().port}${SUB}`;
    site.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  after(async () => {
    await site.browser?.close();
    site.server?.close();
  });
  return site;
}

/**
 * A fresh context and page (desktop size unless `viewport` says otherwise),
 * the hosts answered by `answers` (default: the `tree` as a published
 * release), no service worker, console errors and CSP refusals collected in `problems`.
 * Closed when the test `t` ends.
 */
export async function openPage(t, site, { tree, answers, viewport = { width: 1280, height: 900 }, ...options } = {}) {
  // No service worker (web/sw.js) unless a test asks: its cache would answer
  // the requests a test routes (a held or stuck checker). offline.test.mjs has it.
  const context = await site.browser.newContext({ viewport, serviceWorkers: "block", ...options });
  t.after(() => context.close());
  const calls = await routeHosts(context, answers ?? answersFor(tree ?? new Map()));
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { context, page, problems, calls };
}

/** Waits until the checker's worker has loaded (the page marks `<main>`). */
export const checkerReady = (page) => page.locator('main[data-checker="ready"]').waitFor();

/**
 * Holds the checker's glue script back until the returned function is
 * called: the page is up, its checker not yet.
 */
export async function holdChecker(context) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route(/m13-checker\.js/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/**
 * Starts timing the page's main thread: a timer ticks every 20 ms, and the
 * longest gap between two ticks is the longest the page could not answer.
 * Returns a function that reads it, in milliseconds.
 */
export async function watchMainThread(page) {
  await page.evaluate(() => {
    const watch = (window.__mainThread = { last: performance.now(), longest: 0 });
    const tick = () => {
      const now = performance.now();
      watch.longest = Math.max(watch.longest, now - watch.last);
      watch.last = now;
      setTimeout(tick, 20);
    };
    setTimeout(tick, 20);
  });
  return () =>
    page.evaluate(() => {
      const watch = window.__mainThread;
      return Math.round(Math.max(watch.longest, performance.now() - watch.last) - 20);
    });
}

/** The status of every finding card, by rule id, once the results show. */
export async function statuses(page) {
  await page.waitForSelector("[data-rule-id]", { timeout: 30_000 });
  return page.$$eval("[data-rule-id]", (cards) => Object.fromEntries(cards.map((c) => [c.dataset.ruleId, c.dataset.status])));
}

/** The ids of the rules with `status`, sorted. */
export const withStatus = (byRule, status) => Object.keys(byRule).filter((k) => byRule[k] === status).sort();

/** `a` and `b` differ here (for messages). */
export const differences = (a, b) =>
  Object.keys({ ...a, ...b })
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k}: ${a[k]} vs ${b[k]}`)
    .join(", ");

/** The picture of the graph the page shows at its size (wide or narrow). */
export const visibleGraph = (page) => page.locator("svg.release-graph:visible");

/** How many broken links the visible picture draws. */
export const brokenEdges = (page) => visibleGraph(page).locator('[data-edge-holds="false"]').count();

/** Opens `url` as a deep link (`?url=`). */
export const deepLink = (site, url) => `${site.base}?url=${encodeURIComponent(url)}`;

/**
 * The CLI's JSON report on `dir`, judged against `url` (`cargo run`, so it
 * is the workspace's current CLI); `null` when SKIP_CLI is set.
 */
export function cliReport(dir, url) {
  if (process.env.SKIP_CLI) return null;
  const cli = spawnSync("cargo", ["run", "-q", "-p", "m13-cli", "--", "check", dir, "--release-url", url, "--format", "json"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!cli.stdout) throw new Error(`the CLI wrote nothing: ${cli.stderr}`);
  return JSON.parse(cli.stdout);
}

/** A CLI report's statuses, by rule id. */
export const cliStatuses = (report) => Object.fromEntries(report.results.map((r) => [r.id, r.status]));

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe's violations on the page as it is, as short lines, by impact. */
export async function axeViolations(page) {
  // Evaluated by the browser's devtools protocol, which the page's
  // Content-Security-Policy does not govern: the page itself is unchanged.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      impact: v.impact,
      line: `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`,
    }));
  });
  return {
    blocking: found.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.line),
    other: found.filter((v) => v.impact !== "serious" && v.impact !== "critical").map((v) => v.line),
  };
}

