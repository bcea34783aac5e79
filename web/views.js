// Loads the web app's views on demand (crates/views: the class view and
// the comparison), imported by web/boot.js only when the address asks for
// one or several zips are chosen at once, so a first visit carries none of
// this. The views are a worker-type binary for Trunk: fixed file names, and
// wasm-bindgen's no-modules glue, which defines the global `wasm_bindgen`.

const FILES = ["m13-views.js", "m13-views_bg.wasm", "views.css"];

/**
 * Starts the view the address asks for (`?compare=`, else the class view).
 * `files` (an array of File, or null) are zips for the class view to check
 * at once: the single-release page is then hidden (not torn down), the
 * address says `?class`, and going back reloads the single-release page.
 */
export async function start(query, files) {
  const [glue, wasm, css] = FILES.map((f) => f + query);
  if (files) {
    history.pushState(null, "", `${location.pathname}?class`);
    addEventListener("popstate", () => location.reload());
  }
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
