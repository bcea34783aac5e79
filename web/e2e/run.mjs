// The browser checks of the built site (dist/), one command:
//
//   cargo xtask dist && (cd web/e2e && npm ci && node run.mjs)
//
// Runs every tests/*.test.mjs with node's built-in test runner, one file
// at a time (each starts the site and a headless Chromium of its own),
// prints node:test's report, then one summary line of the checks:
// "e2e: N passed, M failed". Exits 1 when any failed.
//
// Environment: CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default
// target/screenshots), SKIP_CLI=1 to skip the comparisons with the CLI.
// One file: `node --test tests/graph.test.mjs`.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, "tests"))
  .filter((f) => f.endsWith(".test.mjs") && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => join(here, "tests", f));

// A check is a test with no subtests: its parent reports after it, one
// level up, so a report right after a deeper one is a parent's.
const count = { passed: 0, failed: 0 };
let previous = -1;
const tally = (key) => (event) => {
  const parent = previous === event.nesting + 1 || event.details?.type === "suite";
  previous = event.nesting;
  if (!parent) count[key] += 1;
};

const stream = run({ files, concurrency: 1, timeout: 10 * 60_000 });
stream.on("test:pass", tally("passed"));
stream.on("test:fail", tally("failed"));
const report = stream.compose(new spec());
report.pipe(process.stdout, { end: false });
report.on("end", () => {
  console.log(`\ne2e: ${count.passed} passed, ${count.failed} failed (${files.length} files)`);
  process.exitCode = count.failed === 0 && files.length > 0 ? 0 : 1;
});
