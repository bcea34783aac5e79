// Accessibility: axe-core (from npm) on the sample's result, on a phone and
// a desktop, in light and dark, as drawn and with every line opened. A
// serious or critical violation fails; the rest are printed.

import assert from "node:assert/strict";
import { test } from "node:test";

import { axeViolations as violations, openPage, statuses, useSite } from "../lib/harness.mjs";

const site = useSite();
const SIZES = { phone: { width: 360, height: 800 }, desktop: { width: 1280, height: 900 } };

for (const [size, viewport] of Object.entries(SIZES)) {
  for (const colorScheme of ["light", "dark"]) {
    test(`axe on the sample's result, ${size}, ${colorScheme}`, async (t) => {
      const { page } = await openPage(t, site, { viewport, colorScheme });
      await page.goto(site.base);
      await page.getByRole("button", { name: "Try a sample" }).click();
      await statuses(page);
      const drawn = await violations(page);
      if (drawn.other.length > 0) t.diagnostic(drawn.other.join("\n"));
      await t.test("as drawn: no serious or critical violation", () => assert.deepEqual(drawn.blocking, []));
      // Twice: an opened line draws its "why?", closed until opened too.
      for (let round = 0; round < 2; round++) {
        await page.$$eval("details", (all) => all.forEach((d) => (d.open = true)));
        await page.waitForTimeout(200);
      }
      const opened = await violations(page);
      if (opened.other.length > 0) t.diagnostic(opened.other.join("\n"));
      await t.test("every line opened: no serious or critical violation", () => assert.deepEqual(opened.blocking, []));
    });
  }
}
