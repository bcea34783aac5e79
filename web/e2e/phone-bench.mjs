// A `?url=` link on a slow phone, cold and warm, to its verdict: headless
// Chromium under the profile of issue 15 (Chrome DevTools' "Slow 4G":
// 1.6 Mbps down, 750 kbps up, 150 ms round trips, via CDP
// Network.emulateNetworkConditions; the CPU 4x slower, via
// Emulation.setCPUThrottlingRate), the site served gzipped with GitHub
// Pages' `Cache-Control: max-age=600`, GitHub answered by a real HTTPS
// server on 127.0.0.1 (lib/github.mjs serveHosts), so every request goes
// through the emulated network. Cold: a new browser context (empty cache,
// no service worker). Warm: the same context opened again (the site cached,
// the check remembered: no call to GitHub). Medians, printed; nothing is
// asserted. Part of `cargo xtask bench`, after bench.mjs. PHONE_RUNS sets
// the number of runs (5).
//
//   cargo xtask dist && (cd web/e2e && node phone-bench.mjs)

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

import { answersFor, browserArgs, releaseUrl, serveHosts } from "./lib/github.mjs";
import { SUB, dist } from "./lib/harness.mjs";
import { sampleTree } from "./lib/trees.mjs";

const RUNS = Number(process.env.PHONE_RUNS ?? 5);
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;
const TARGETS = { cold: 3000, warm: 1500 };

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };

/** dist/ under SUB, gzipped as GitHub Pages serves it, cacheable for 10 minutes. */
function serveGzipped() {
  const gzipped = new Map();
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (!path.startsWith(SUB)) return response.writeHead(404).end();
    let file = join(dist, decodeURIComponent(path.slice(SUB.length)) || "index.html");
    if (!file.startsWith(dist)) return response.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(file), { level: 9 }));
      response
        .writeHead(200, {
          "content-type": types[extname(file)] ?? "application/octet-stream",
          "content-encoding": "gzip",
          "cache-control": "max-age=600",
          "last-modified": statSync(file).mtime.toUTCString(),
          vary: "Accept-Encoding",
        })
        .end(gzipped.get(file));
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(server)));
}

const scratch = mkdtempSync(join(tmpdir(), "m13-phone-bench-"));
const { server: hosts } = await serveHosts(answersFor(sampleTree()), scratch);
const site = await serveGzipped();
const link = `http://127.0.0.1:${site.address().port}${SUB}?url=${encodeURIComponent(releaseUrl())}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-quic", "--disable-background-networking", ...browserArgs(hosts)],
});

/** The emulated phone for `page`: its network and its CPU. */
async function slowPhone(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return cdp;
}

/** Opens the link and returns the time from navigation to the verdict in the document, in ms. */
async function toVerdict(page) {
  await page.goto(link, { waitUntil: "commit" });
  await page.waitForSelector("#summary-heading", { timeout: 60_000 });
  return page.evaluate(() => ({ verdict: window.benchVerdict ?? performance.now(), shown: window.benchShown, ready: window.benchReady }));
}

const timed = { cold: [], warm: [] };
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true });
  // The moment the verdict's heading is in the document, since navigation.
  // And when the page was drawn, and when its checker said it was ready.
  await context.addInitScript(() => {
    new MutationObserver((_, watch) => {
      window.benchShown ??= document.querySelector("main") ? performance.now() : undefined;
      window.benchReady ??= document.querySelector('main[data-checker="ready"]') ? performance.now() : undefined;
      if (document.getElementById("summary-heading")) {
        window.benchVerdict = performance.now();
        watch.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  const page = await context.newPage();
  await slowPhone(context, page);
  timed.cold.push(await toVerdict(page));
  // Let the service worker take the site's files, then open the link again.
  await page.waitForFunction(async () => (await caches.keys()).length > 0, null, { timeout: 60_000 }).catch(() => {});
  const again = await context.newPage();
  await slowPhone(context, again);
  await page.close();
  timed.warm.push(await toVerdict(again));
  await context.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x) => `${(x / 1000).toFixed(2)} s`;
console.log(`web app on a slow phone (Slow 4G: 1.6 Mbps, 150 ms; CPU ${CPU_SLOWDOWN}x slower), a ?url= link to its verdict, ${RUNS} runs (medians)`);
for (const kind of ["cold", "warm"]) {
  const of = (key) => timed[kind].map((t) => t[key] ?? NaN);
  const m = median(of("verdict"));
  const verdict = m <= TARGETS[kind] ? "meets" : "misses";
  console.log(
    `  ${kind}: verdict at ${s(m)} (fastest ${s(Math.min(...of("verdict")))}, slowest ${s(Math.max(...of("verdict")))}); ${verdict} the target of ${s(TARGETS[kind])}` +
      `; the page drawn at ${s(median(of("shown")))}, its checker ready at ${s(median(of("ready")))}`,
  );
}
await browser.close();
site.close();
hosts.close();
rmSync(scratch, { recursive: true, force: true });
