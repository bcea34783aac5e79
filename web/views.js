// Loads the web app's views on demand (crates/views: the class view and
// the comparison), imported by web/boot.js only when the address asks for
// one or several zips are chosen at once, so a first visit carries none of
// this. The views are a worker-type binary for Trunk: fixed file names, and
// wasm-bindgen's no-modules glue, which defines the global `wasm_bindgen`.

const FILES = ["m13-views.js", "m13-views_bg.wasm", "views.css"];

/**
 * Starts the view the address asks for (`?compare=`, else the class view).
 * `files` (an array of File, or null) are zips chosen on the single-release
 * page for the class view: they are handed over through IndexedDB (a File
 * survives it) and the page reloads as `?class&zips`, so the class view
 * never shares a page with the single-release app (two Yew apps, two token
 * fields). Where IndexedDB is refused, the class view starts here instead,
 * the single-release page hidden.
 */
export async function start(query, files) {
  if (files && (await handOver(files))) {
    location.assign(`${location.pathname}?class&zips`);
    return;
  }
  if (!files && new URLSearchParams(location.search).has("zips")) files = await takeHandedOver();
  const [glue, wasm, css] = FILES.map((f) => f + query);
  document.body.dataset.view = "on-demand";
  for (const child of document.body.children) if (child.id !== "view" && child.tagName !== "SCRIPT") child.hidden = true;
  window.m13ClassFiles = files;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: css }));
  try {
    await new Promise((loaded, failed) => {
      const script = Object.assign(document.createElement("script"), { src: glue });
      script.onload = loaded;
      script.onerror = () => failed(new Error(`${glue} did not load`));
      document.head.append(script);
    });
    // A global lexical binding of the classic script, not a property of `window`.
    await wasm_bindgen({ module_or_path: wasm });
  } catch (error) {
    // Offline on a first visit, or a broken deployment.
    const box = document.getElementById("view") ?? document.body.appendChild(document.createElement("div"));
    box.id = "view";
    box.setAttribute("role", "alert");
    box.textContent = `This view could not load (${error.message}): reload the page, or use the milestone-check CLI.`;
  }
}

/** The one record of the hand-over store, opened; null where IndexedDB is refused. */
function store(mode) {
  return new Promise((done) => {
    try {
      const open = indexedDB.open("m13-handover", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("zips");
      open.onsuccess = () => done(open.result.transaction("zips", mode).objectStore("zips"));
      open.onerror = () => done(null);
    } catch {
      done(null);
    }
  });
}

/** Keeps `files` for the next page; true when they were kept. */
async function handOver(files) {
  const zips = await store("readwrite");
  if (!zips) return false;
  return new Promise((done) => {
    const put = zips.put(files, "chosen");
    put.onsuccess = () => done(true);
    put.onerror = () => done(false);
  });
}

/** The files the last page handed over (taken: a reload does not check them again), or null. */
async function takeHandedOver() {
  const zips = await store("readwrite");
  if (!zips) return null;
  return new Promise((done) => {
    const get = zips.get("chosen");
    get.onsuccess = () => {
      zips.delete("chosen");
      done(Array.isArray(get.result) ? get.result : null);
    };
    get.onerror = () => done(null);
  });
}
