// Starts the app with no inline script; web/README.md says what and why.
// Part of the first load: its comments are short.
const js = document.getElementById("m13-js");
const wasm = document.getElementById("m13-wasm");

/** The hash in `m13-app-HASH_bg.wasm`, or "". */
function buildOf(href) {
  const hash = /m13-app-(\w+)_bg\.wasm$/.exec(new URL(href).pathname)?.[1] ?? "";
  return /^[A-Za-z0-9]+$/.test(hash) ? hash : "";
}

/** The worker's URLs (crates/app/src/checker/client.rs). */
function prefetchChecker(query) {
  for (const file of ["m13-checker.js", "m13-checker_bg.wasm"]) {
    fetch(file + query, { credentials: "same-origin" })
      .then((r) => r.arrayBuffer())
      .catch(() => {}); // the worker asks again
  }
}

/** web/sw.js, once the checker has loaded. */
function offlineOnceReady(query) {
  if (!("serviceWorker" in navigator)) return;
  const ready = () => document.querySelector('main[data-checker="ready"]');
  const register = () => navigator.serviceWorker.register(`sw.js${query}`).catch(() => {});
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
  const view = (files) =>
    import(`./views.js${query}`)
      .then((v) => v.start(query, files))
      .catch((error) => (document.body.textContent = `This view could not load (${error.message}): reload the page.`));
  if (["urls", "class", "compare"].some((p) => new URLSearchParams(location.search).has(p))) {
    offlineOnceReady(query);
    await view(null);
  } else {
    // Several zips at once open the class view, before the page sees them.
    const several = (event) => {
      const files = event.target.files ?? event.dataTransfer?.files;
      if (!(files?.length > 1) || event.target.closest?.("#view")) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      removeEventListener("change", several, true);
      removeEventListener("drop", several, true);
      view([...files]);
    };
    addEventListener("change", several, true);
    addEventListener("drop", several, true);
    const { default: init } = await import(js.href);
    offlineOnceReady(query);
    await init({ module_or_path: wasm.href });
  }
} else {
  document.body.textContent = "The page is incomplete: rebuild it with `cargo xtask dist`.";
}
