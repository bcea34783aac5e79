// Starts the app with no inline script (the CSP is `script-src 'self'
// 'wasm-unsafe-eval'`), from the two preload links Trunk writes
// (Trunk.toml: pattern_preload). Also: the checker's files fetched with the
// page, and the service worker. README, "The web app", says why.
const js = document.getElementById("m13-js");
const wasm = document.getElementById("m13-wasm");

/** The hash in `m13-app-HASH_bg.wasm`, or "". */
function buildOf(href) {
  const hash = /m13-app-(\w+)_bg\.wasm$/.exec(new URL(href).pathname)?.[1] ?? "";
  return /^[A-Za-z0-9]+$/.test(hash) ? hash : "";
}

/** The URLs the worker asks for (crates/app/src/checker/client.rs: worker_script). */
function prefetchChecker(query) {
  for (const file of ["m13-checker.js", "m13-checker_bg.wasm"]) {
    fetch(file + query, { credentials: "same-origin" })
      .then((r) => r.arrayBuffer())
      .catch(() => {}); // the worker asks again, and says so if it cannot load
  }
}

/** web/sw.js, once the checker has loaded (not to compete with it). */
function offlineOnceReady(query) {
  if (!("serviceWorker" in navigator)) return;
  const ready = () => document.querySelector('main[data-checker="ready"]');
  const register = () => navigator.serviceWorker.register(`sw.js${query}`).catch(() => {}); // no offline copy
  if (ready()) return register();
  const watch = new MutationObserver(() => {
    if (ready()) {
      watch.disconnect();
      register();
    }
  });
  watch.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-checker"] });
}

if (js && wasm) {
  const build = buildOf(wasm.href);
  const query = build ? `?build=${build}` : "";
  prefetchChecker(query);
  const { default: init } = await import(js.href);
  offlineOnceReady(query);
  await init({ module_or_path: wasm.href });
} else {
  document.body.textContent = "The page is incomplete: rebuild it with `cargo xtask dist`.";
}
