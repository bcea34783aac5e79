// Starts the app with no inline script (the CSP is `script-src 'self'
// 'wasm-unsafe-eval'`), from the two preload links Trunk writes
// (Trunk.toml: pattern_preload). Also: the checker's files fetched with the
// page, the service worker, and the views loaded on demand (crates/views:
// the class view and the comparison), a wasm file of their own loaded only
// for `?urls=`, `?class`, `?compare=`, or several zips handed over by the
// page (`window.m13OpenClass`). README, "The web app", says why.
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

/** The on-demand views' files (crates/views), named as Trunk names a worker-type binary (unhashed). */
const VIEW_FILES = ["m13-views.js", "m13-views_bg.wasm", "views.css"];

/**
 * Loads the on-demand views and starts the one the address asks for
 * (crates/views: `?compare=`, else the class view); `files` (an array of
 * File, or null) are zips for the class view to check at once.
 */
async function startView(query, files) {
  const [glue, wasmFile, css] = VIEW_FILES.map((f) => f + query);
  document.body.dataset.view = "on-demand";
  for (const child of document.body.children) if (child.id !== "view" && child.tagName !== "SCRIPT") child.hidden = true;
  window.m13ClassFiles = files;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: css }));
  await new Promise((loaded, failed) => {
    const script = Object.assign(document.createElement("script"), { src: glue });
    script.onload = loaded;
    script.onerror = () => failed(new Error(`${glue} did not load`));
    document.head.append(script);
  });
  // wasm-bindgen's no-modules glue defines the global `wasm_bindgen`.
  await globalThis.wasm_bindgen({ module_or_path: wasmFile });
}

/** Says so in the page when the view cannot load (offline on a first visit, a broken deployment). */
function viewFailed(error) {
  const box = document.getElementById("view") ?? document.body.appendChild(document.createElement("div"));
  box.id = "view";
  box.setAttribute("role", "alert");
  box.textContent = `This view could not load (${error.message}): reload the page, or use the milestone-check CLI.`;
}

if (js && wasm) {
  const build = buildOf(wasm.href);
  const query = build ? `?build=${build}` : "";
  prefetchChecker(query);
  const params = new URLSearchParams(location.search);
  if (["urls", "class", "compare"].some((p) => params.has(p))) {
    offlineOnceReady(query);
    await startView(query, null).catch(viewFailed);
  } else {
    // Several zips chosen on the single-release page: the class view takes
    // over the page (the single-release app is hidden, not torn down), and
    // going back reloads the single-release page.
    window.m13OpenClass = (files) => {
      delete window.m13OpenClass;
      history.pushState(null, "", `${location.pathname}?class`);
      addEventListener("popstate", () => location.reload());
      startView(query, [...files]).catch(viewFailed);
    };
    const { default: init } = await import(js.href);
    offlineOnceReady(query);
    await init({ module_or_path: wasm.href });
  }
} else {
  document.body.textContent = "The page is incomplete: rebuild it with `cargo xtask dist`.";
}
