// Release trees for the tests: path → bytes. The built-in sample, the
// rules' fixture trees, and trees made here from several traps at once.

import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

import { root } from "./harness.mjs";

/** Every file under `dir`, by its path relative to `dir`. */
export function readTree(dir) {
  const walk = (d) =>
    readdirSync(d).flatMap((name) => {
      const path = join(d, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(dir, path).split("\\").join("/")];
    });
  return new Map(walk(dir).sort().map((p) => [p, readFileSync(join(dir, p))]));
}

export const sampleDir = join(root, "web/sample");
export const fixtureDir = (name) => join(root, "crates/rules/tests/fixtures", name, "release");

/** The built-in sample ("Try a sample"): three mistakes. */
export const sampleTree = () => readTree(sampleDir);

/** A fixture of the rules crate. */
export const fixtureTree = (name) => readTree(fixtureDir(name));

const text = (tree, path) => tree.get(path).toString("utf8");

/**
 * Many traps in one release (the fixtures share a base, so their files
 * combine): a selector that matches no pods, a probe on the wrong port, a
 * CPU request of 2 cores, POSTGRES_HOSTNAME for a differently named Helm
 * release, the admin password in the Secret, a misspelled
 * CSRF_TRUSTED_ORIGINS, no Postgres driver, and the old Pod and PVC left in
 * deployment/. Eleven rules fail (the CPU request is now above its limit
 * too, so kubectl also rejects the Deployment: `manifests-apply`), and the
 * graph has four broken links.
 */
export function manyFailuresTree() {
  const tree = fixtureTree("service-selects-nothing");
  const take = (fixture, path) => tree.set(path, fixtureTree(fixture).get(path));
  take("hostname-near-miss", "deployment/config.yaml");
  take("postgres-password-confusion", "deployment/secret.yaml");
  take("misspelled-csrf", "mysite/mysite/settings.py");
  take("no-driver", "requirements.txt");
  take("bare-pod-left-behind", "deployment/pod.yaml");
  take("bare-pod-left-behind", "deployment/pvc.yaml");
  const deployment = text(fixtureTree("probe-wrong-port"), "deployment/deployment.yaml").replace("cpu: 250m", "cpu: 2");
  tree.set("deployment/deployment.yaml", Buffer.from(deployment));
  return tree;
}

/** The rules that fail in [`manyFailuresTree`], and how many links break. */
export const MANY_BROKEN_LINKS = 4;
export const MANY_FAILURES = [
  "limits-not-below-requests",
  "service-loadbalancer",
  "probe-port",
  "cpu-request-range",
  "config-postgres-hostname",
  "secret-matches-values",
  "csrf-trusted-origins",
  "postgres-driver-installed",
  "pod-removed",
  "pvc-removed",
  "manifests-apply",
];

/** Markup and script in a ConfigMap value, to be shown as text. */
export const PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>";

/** A passing release whose ConfigMap sets POSTGRES_HOSTNAME to [`PAYLOAD`]. */
export function hostileTree() {
  const tree = fixtureTree("sp24-pass");
  const config = text(tree, "deployment/config.yaml").replace(
    /POSTGRES_HOSTNAME: .*/,
    `POSTGRES_HOSTNAME: "${PAYLOAD}"`,
  );
  if (!config.includes(PAYLOAD)) throw new Error("sp24-pass has no POSTGRES_HOSTNAME line to replace");
  tree.set("deployment/config.yaml", Buffer.from(config));
  return tree;
}

/** A 40,000-character host name: it becomes a finding's value and a box of the picture. */
export const LONG_HOSTNAME = "postgres-".repeat(4444) + "host";

/** A passing release whose ConfigMap sets POSTGRES_HOSTNAME to [`LONG_HOSTNAME`]. */
export function longHostnameTree() {
  const tree = fixtureTree("sp24-pass");
  const config = text(tree, "deployment/config.yaml").replace(/POSTGRES_HOSTNAME: .*/, `POSTGRES_HOSTNAME: ${LONG_HOSTNAME}`);
  if (!config.includes(LONG_HOSTNAME)) throw new Error("sp24-pass has no POSTGRES_HOSTNAME line to replace");
  tree.set("deployment/config.yaml", Buffer.from(config));
  return tree;
}

/**
 * A passing release whose settings.py doubles a string 40 times after
 * `X = 'ab'` (about 400 bytes that would make a 2 TiB value).
 */
export function growingSettingsTree() {
  const tree = fixtureTree("sp24-pass");
  const path = "mysite/mysite/settings.py";
  const growth = `\nX = 'ab'\n${"X = X + X\n".repeat(40)}`;
  tree.set(path, Buffer.from(text(tree, path) + growth));
  return tree;
}

/** A passing release plus `count` bare Pods in one more file of deployment/. */
export function manyPodsTree(count) {
  const tree = fixtureTree("sp24-pass");
  const pod = (i) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: old-pod-${i}\nspec:\n  containers:\n    - name: web\n      image: nginx\n`;
  tree.set("deployment/pods.yaml", Buffer.from(Array.from({ length: count }, (_, i) => pod(i)).join("---\n")));
  return tree;
}

/** Writes `tree` to a new temporary directory and returns its path. */
export function writeTree(tree) {
  const dir = mkdtempSync(join(tmpdir(), "m13-e2e-"));
  for (const [path, bytes] of tree) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}
