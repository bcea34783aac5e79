// Browser checks of the built site (dist/), served from a sub-directory
// the way GitHub Pages serves it, in headless Chromium (playwright-core
// driving the system's /usr/bin/chromium). GitHub and jsDelivr are answered
// by fixtures through Playwright's request interception, so no test
// touches the network.
//
//   cargo xtask dist && (cd web/e2e && npm ci && node smoke.mjs)
//
// Environment: CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default
// target/screenshots), SKIP_CLI=1 to skip the comparison with the CLI.

import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const dist = join(root, "dist");
const sampleDir = join(root, "web/sample");
const shots = process.env.SCREENSHOTS ?? join(root, "target/screenshots");
const SUB = "/milestone-check/";
const OWNER = "sam-rivera";
const REPO = "cis-92";
const TAG = "milestone-13.1";
const RELEASE_URL = `https://github.com/${OWNER}/${REPO}/releases/tag/${TAG}`;
const RULES = 23;

let failures = 0;
let passes = 0;
function check(ok, what) {
  if (ok) {
    passes += 1;
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

// ---- the release fixture: every file of web/sample ------------------------

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(sampleDir, path).split("\\").join("/")];
  });
}
const files = new Map(walk(sampleDir).sort().map((p) => [p, readFileSync(join(sampleDir, p))]));

const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset" };
const json = (status, body, headers = {}) => ({ status, contentType: "application/json", headers: { ...cors, ...headers }, body: JSON.stringify(body) });
const rate = (remaining) => ({ "x-ratelimit-limit": "60", "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1800) });

const treeBody = () => ({
  sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  url: `https://api.github.com/repos/${OWNER}/${REPO}/git/trees/4b825dc6`,
  tree: [...files].map(([path, bytes]) => ({ path, mode: "100644", type: "blob", sha: "0".repeat(40), size: bytes.length })),
  truncated: false,
});
const releaseBody = () => ({ tag_name: TAG, name: "Milestone 13", draft: false, prerelease: false, target_commitish: "main" });

// How each host answers; tests change these.
let github = {};
let jsdelivr = {};
const calls = { api: 0, raw: 0, listing: 0, cdn: 0 };

async function routeAll(context) {
  await context.route("https://api.github.com/**", async (route) => {
    calls.api += 1;
    const url = new URL(route.request().url());
    if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: { ...cors, "access-control-allow-headers": "authorization, accept" } });
    if (url.pathname.includes("/releases/tags/")) return route.fulfill(github.release());
    if (url.pathname.includes("/git/trees/")) return route.fulfill(github.tree());
    return route.fulfill(json(404, { message: "Not Found" }));
  });
  await context.route("https://raw.githubusercontent.com/**", async (route) => {
    calls.raw += 1;
    const path = decodeURIComponent(new URL(route.request().url()).pathname.split("/").slice(4).join("/"));
    const bytes = files.get(path);
    return route.fulfill(bytes ? { status: 200, headers: cors, body: bytes } : { status: 404, headers: cors, body: "404: Not Found" });
  });
  await context.route("https://data.jsdelivr.com/**", async (route) => {
    calls.listing += 1;
    return route.fulfill(jsdelivr.listing());
  });
  await context.route("https://cdn.jsdelivr.net/**", async (route) => {
    calls.cdn += 1;
    const path = decodeURIComponent(new URL(route.request().url()).pathname.split("/").slice(4).join("/"));
    const bytes = files.get(path);
    return route.fulfill(bytes ? { status: 200, headers: cors, body: bytes } : { status: 404, headers: cors, body: "Not found" });
  });
}

function githubAnswers() {
  github = {
    release: () => json(200, releaseBody(), rate(57)),
    tree: () => json(200, treeBody(), rate(56)),
  };
  jsdelivr = {
    listing: () => json(200, { type: "gh", name: `${OWNER}/${REPO}`, version: TAG, files: [...files].map(([p, b]) => ({ name: `/${p}`, hash: "x", size: b.length })) }),
  };
}

// ---- a "Source code (zip)" of the fixture, as GitHub names and nests it ----

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function zipOf(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name);
    const packed = deflateRawSync(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0, 6); head.writeUInt16LE(8, 8);
    head.writeUInt32LE(0, 10); head.writeUInt32LE(crc32(data), 14); head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22); head.writeUInt16LE(nameBuf.length, 26); head.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10); central.writeUInt32LE(0, 12); central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += head.length + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

// ---- the site, from a sub-directory --------------------------------------

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };
function serve() {
  return new Promise((ready) => {
    const server = createServer((request, response) => {
      const path = new URL(request.url, "http://x").pathname;
      if (!path.startsWith(SUB)) {
        response.writeHead(404).end("outside the sub-path");
        return;
      }
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

// ---- helpers -------------------------------------------------------------

async function statuses(page) {
  await page.waitForSelector("[data-rule-id]", { timeout: 30_000 });
  return page.$$eval("[data-rule-id]", (cards) => Object.fromEntries(cards.map((c) => [c.dataset.ruleId, c.dataset.status])));
}
const same = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
const differences = (a, b) => Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} vs ${b[k]}`).join(", ");

async function freshPage(browser, base, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await routeAll(context);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { context, page, problems };
}

// ---- the checks ----------------------------------------------------------

async function main() {
  mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}${SUB}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  githubAnswers();
  try {
    // 1. The sample, on a phone and a desktop, light and dark.
    let { context, page, problems } = await freshPage(browser, base);
    await page.goto(base);
    await page.getByRole("button", { name: "Try a sample" }).click();
    const sample = await statuses(page);
    check(Object.keys(sample).length === RULES, `the sample shows every rule (${Object.keys(sample).length} cards)`);
    check(sample["cpu-request-range"] === "fail" && sample["secret-matches-values"] === "fail" && sample["pvc-removed"] === "fail", "the sample's three mistakes fail");
    const order = await page.$$eval("[data-rule-id]", (cards) => cards.map((c) => c.dataset.status));
    check(order.indexOf("pass") > order.lastIndexOf("fail"), "failures come first");
    check((await page.locator(".step").count()) === 6, "six cluster steps");
    const review = await page.locator("#review-markdown").inputValue();
    check(review.includes("cpu-request-range"), "the review is in the textarea");
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy the review" }).click();
    await page.getByText("Copied the review to the clipboard.").waitFor();
    check((await page.evaluate(() => navigator.clipboard.readText())) === review, "the copy button copies the review");
    await page.screenshot({ path: join(shots, "sample-1280.png"), fullPage: false });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: join(shots, "sample-360.png"), fullPage: false });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 360, `no sideways scrolling at 360 px (page is ${wide} px wide)`);
    await page.locator('[data-rule-id="cpu-request-range"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "sample-360-card.png") });
    await page.locator("#steps-heading").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "sample-360-steps.png") });
    // Steps are remembered per release.
    await page.locator("#step-start-minikube").check();
    await page.reload();
    await page.getByRole("button", { name: "Try a sample" }).click();
    await statuses(page);
    check(await page.locator("#step-start-minikube").isChecked(), "a ticked step is remembered");
    check(problems.length === 0, `no console errors or CSP violations (${problems.join(" | ")})`);
    await context.close();

    ({ context, page, problems } = await freshPage(browser, base, { colorScheme: "dark", viewport: { width: 1280, height: 900 } }));
    await page.goto(base);
    await page.getByRole("button", { name: "Try a sample" }).click();
    await statuses(page);
    await page.screenshot({ path: join(shots, "sample-1280-dark.png") });
    await context.close();

    ({ context, page, problems } = await freshPage(browser, base, { viewport: { width: 360, height: 800 }, colorScheme: "dark" }));
    await page.goto(base);
    await page.getByRole("button", { name: "Try a sample" }).click();
    await statuses(page);
    check(await page.evaluate(() => document.activeElement?.id === "summary-heading"), "the result takes the focus");
    await page.screenshot({ path: join(shots, "sample-360-results-dark.png") });
    await context.close();

    // 2. A release URL (deep link), GitHub answered by the fixture.
    ({ context, page, problems } = await freshPage(browser, base));
    Object.assign(calls, { api: 0, raw: 0, listing: 0, cdn: 0 });
    await page.goto(`${base}?url=${encodeURIComponent(RELEASE_URL)}`);
    const byUrl = await statuses(page);
    check(same(byUrl, sample), `a URL check gives the sample's statuses (${differences(byUrl, sample)})`);
    check(calls.api === 2, `two API calls (${calls.api})`);
    check(calls.raw > 0 && calls.raw < files.size, `only the wanted files from raw (${calls.raw} of ${files.size})`);
    check(await page.getByText("56 of 60 GitHub API calls left").isVisible(), "the rate limit is shown");
    check(await page.getByText("Files from GitHub").isVisible(), "the page says which source was used");
    const link = await page.locator('[data-rule-id="cpu-request-range"] .evidence a').first().getAttribute("href");
    check(link?.startsWith(`https://github.com/${OWNER}/${REPO}/blob/${TAG}/deployment/deployment.yaml#L`), `evidence links to GitHub (${link})`);
    await page.screenshot({ path: join(shots, "url-1280.png") });
    // A reload costs no call.
    calls.api = 0;
    await page.reload();
    await statuses(page);
    check(calls.api === 0, `a reload is answered from the browser's memory (${calls.api} calls)`);
    check(await page.locator("p.remembered").isVisible(), "the page says the result was remembered");
    check(problems.length === 0, `no console errors (${problems.join(" | ")})`);
    await context.close();

    // 2b. A token goes to api.github.com only.
    ({ context, page, problems } = await freshPage(browser, base));
    const authorization = { api: [], other: [] };
    page.on("request", (r) => (r.url().startsWith("https://api.github.com/") ? authorization.api : authorization.other).push(r.headers()["authorization"]));
    await page.goto(base);
    await page.locator("summary", { hasText: "GitHub token" }).click();
    await page.locator("#github-token").fill("ghp_e2eTOKEN");
    await page.locator("#github-token").press("Tab");
    await page.locator("#release-url").fill(RELEASE_URL);
    await page.locator("#release-url").press("Enter");
    await statuses(page);
    check(authorization.api.length === 2 && authorization.api.every((h) => h === "Bearer ghp_e2eTOKEN"), "the token is sent to the API");
    check(authorization.other.length > 0 && authorization.other.every((h) => h === undefined), "the token is sent nowhere else");
    check((await page.evaluate(() => localStorage.getItem("m13.token"))) === null && (await page.evaluate(() => sessionStorage.getItem("m13.token"))) !== null, "the token is kept in session storage only");
    await context.close();

    // 3. The same release as a dropped zip, with and without the URL.
    ({ context, page, problems } = await freshPage(browser, base));
    const zip = zipOf([...files].map(([p, b]) => [`${OWNER}-${REPO}-4b825dc/${p}`, b]));
    await page.goto(base);
    await page.locator("#release-url").fill(RELEASE_URL);
    await page.locator("#zip-file").setInputFiles({ name: `${REPO}-${TAG}.zip`, mimeType: "application/zip", buffer: zip });
    const byZip = await statuses(page);
    check(same(byZip, byUrl), `a zip with the URL gives the URL's statuses (${differences(byZip, byUrl)})`);
    await page.locator("#release-url").fill("");
    await page.locator("#zip-file").setInputFiles({ name: `${REPO}-${TAG}.zip`, mimeType: "application/zip", buffer: zip });
    await page.waitForFunction(() => document.querySelector('[data-rule-id="release-tag"]')?.dataset.status === "manual");
    check(true, "a zip without a URL leaves release-tag to a person");
    await page.locator("#zip-file").setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
    await page.getByRole("alert").filter({ hasText: "not a release zip" }).waitFor();
    check(true, "a broken zip is explained");
    await context.close();

    // 4. The CLI on the same files gives the same statuses.
    if (!process.env.SKIP_CLI) {
      const cli = spawnSync("cargo", ["run", "-q", "-p", "m13-cli", "--", "check", sampleDir, "--release-url", RELEASE_URL, "--format", "json"], { cwd: root, encoding: "utf8" });
      const report = cli.stdout ? JSON.parse(cli.stdout) : { results: [] };
      const byCli = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
      check(same(byCli, byUrl), `the CLI gives the browser's statuses (${differences(byCli, byUrl)})`);
    }

    // 5. Links that are not releases are explained, not checked.
    ({ context, page, problems } = await freshPage(browser, base));
    await page.goto(base);
    // Keyboard: every control of the input panel is reached with Tab.
    await page.locator("#release-url").focus();
    const reached = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      reached.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
    }
    check(["Check", "zip-file", "Try a sample", "GitHub token (optional)"].every((c) => reached.includes(c)), `Tab reaches every control (${reached.join(", ")})`);
    await page.locator("#release-url").focus();
    calls.api = 0;
    await page.locator("#release-url").fill(`https://github.com/${OWNER}/${REPO}/tree/main`);
    await page.locator("#release-url").press("Enter");
    await page.getByText("This is the main branch, not a release: stop and ask for the release URL").waitFor();
    check(calls.api === 0, "a branch link is explained without any call");
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: join(shots, "branch-360.png") });
    await context.close();

    // 6. The API's limit is used up: the mirror stands in; release-tag is manual.
    github.release = () => json(403, { message: "API rate limit exceeded for 203.0.113.7." }, rate(0));
    github.tree = () => json(403, { message: "API rate limit exceeded for 203.0.113.7." }, rate(0));
    ({ context, page, problems } = await freshPage(browser, base));
    await page.goto(`${base}?url=${encodeURIComponent(RELEASE_URL)}`);
    const byMirror = await statuses(page);
    check(byMirror["release-tag"] === "manual", "the mirror cannot prove a release: release-tag is manual");
    const { ["release-tag"]: _a, ...mirrorRest } = byMirror;
    const { ["release-tag"]: _b, ...urlRest } = byUrl;
    check(same(mirrorRest, urlRest), `the mirror gives the same statuses otherwise (${differences(mirrorRest, urlRest)})`);
    check(await page.getByText("Files from the jsDelivr mirror of GitHub").isVisible(), "the page says the mirror was used");
    await page.screenshot({ path: join(shots, "mirror-1280.png") });
    await context.close();

    // 7. ...and when the mirror fails too, the error says when the limit resets and offers the zip.
    jsdelivr.listing = () => json(403, { status: 403, message: "Package size exceeded the configured limit of 50 MB." });
    ({ context, page, problems } = await freshPage(browser, base, { viewport: { width: 360, height: 800 } }));
    await page.goto(`${base}?url=${encodeURIComponent(RELEASE_URL)}`);
    const alert = page.getByRole("alert").filter({ hasText: "hourly limit" });
    await alert.waitFor();
    const text = await alert.innerText();
    check(/resets at \d\d:\d\d/.test(text) && text.includes("Source code (zip)") && text.includes("50 MB"), "the rate-limit error names the reset, the mirror's refusal and the zip");
    check(await page.evaluate(() => document.activeElement?.id === "error-heading"), "the error takes the focus");
    await page.screenshot({ path: join(shots, "rate-limited-360.png") });
    await context.close();

    // 8. A tag without a release; then no such tag at all.
    githubAnswers();
    github.release = () => json(404, { message: "Not Found" }, rate(50));
    ({ context, page, problems } = await freshPage(browser, base));
    await page.goto(`${base}?url=${encodeURIComponent(RELEASE_URL)}`);
    await page.waitForSelector('[data-rule-id="release-tag"][data-status="fail"]');
    check(await page.getByText("exists but no release was made from it").isVisible(), "a tag without a release fails release-tag");
    await context.close();
    github.tree = () => json(404, { message: "Not Found" }, rate(49));
    ({ context, page, problems } = await freshPage(browser, base));
    await page.goto(`${base}?url=${encodeURIComponent(RELEASE_URL.replace(TAG, "milestone-13.9"))}`);
    await page.getByRole("alert").filter({ hasText: "Release not found" }).waitFor();
    check(true, "no such tag: the release is not found, and private repositories are mentioned");
    await context.close();

    // 9. Offline: nothing answers.
    ({ context, page, problems } = await freshPage(browser, base));
    await page.goto(base);
    await context.setOffline(true);
    await page.locator("#release-url").fill(RELEASE_URL.replace(TAG, "milestone-13.2"));
    await page.locator("#release-url").press("Enter");
    await page.getByRole("alert").filter({ hasText: "No network" }).waitFor();
    check(true, "offline is explained");
    await page.getByRole("button", { name: "Try a sample" }).click();
    check(Object.keys(await statuses(page)).length === RULES, "the sample works offline");
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`\ne2e: ${passes} passed, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log(`\ne2e: ${passes} passed, ${failures + 1} failed`);
  process.exit(1);
});
