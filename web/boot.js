// Starts the app without an inline script, so the Content-Security-Policy
// can stay `script-src 'self' 'wasm-unsafe-eval'`. Trunk writes the hashed
// names of the wasm-bindgen module and the wasm into the two preload links
// (Trunk.toml: pattern_preload).
const js = document.getElementById("m13-js");
const wasm = document.getElementById("m13-wasm");

/** The hash in the page's wasm name (`m13-app-HASH_bg.wasm`), or "". */
function buildOf(href) {
  const hash = /m13-app-(\w+)_bg\.wasm$/.exec(new URL(href).pathname)?.[1] ?? "";
  return /^[A-Za-z0-9]+$/.test(hash) ? hash : "";
}

/**
 * The service worker (web/sw.js) keeps this build's files for a visit with
 * no network. It is registered once the checker has loaded, so on a first
 * visit it does not compete with the checker for the network.
 */
function offlineOnceReady(build) {
  if (!("serviceWorker" in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register(`sw.js${build ? `?build=${build}` : ""}`).catch(() => {
      // No offline copy (a private window, a file:// page): the site still works.
    });
  const ready = () => document.querySelector('main[data-checker="ready"]');
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
  const { default: init } = await import(js.href);
  offlineOnceReady(buildOf(wasm.href));
  await init({ module_or_path: wasm.href });
} else {
  document.body.textContent = "The page is incomplete: rebuild it with `cargo xtask dist`.";
}
