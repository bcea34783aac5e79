// The service worker: after a first visit the site works with no network
// (the sample, dropped zips). It keeps one build's files in one cache,
// named after the build (the hash in the page's wasm name, which
// web/boot.js puts in this script's `?build=`): a new deployment is a new
// script URL, so the next visit installs a new worker, which fetches the
// new files and deletes the old cache.
//
// Only the site's own files are answered here. Every other request (GitHub,
// jsDelivr) goes to the network as it is: this worker reads only its
// origin, and keeps none of them, nor a token.

const BUILD = new URL(self.location.href).searchParams.get("build") ?? "";
const CACHE = `m13-site-${BUILD}`;
/** The checker's and the class view's files, which index.html does not
 * name (see crates/app/src/checker/client.rs and web/boot.js). */
const CHECKER = ["m13-checker.js", "m13-checker_bg.wasm", "m13-views.js", "m13-views_bg.wasm", "views.css", "views.js"].map((f) =>
  BUILD ? `${f}?build=${BUILD}` : f,
);

/** The page's own relative references (href and src) in index.html,
 * quoted or not (a release build's index.html is minified). */
function filesOf(html) {
  const files = new Set();
  for (const [, quoted, bare] of html.matchAll(/\s(?:href|src)=(?:"([^"#:]+)"|([^\s"'>#:]+))/g)) {
    const ref = quoted ?? bare;
    if (!ref.startsWith("/")) files.add(ref);
  }
  return [...files];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Each file as the browser has it, if fresh (GitHub Pages: 10 minutes),
      // so a first visit does not download the site twice.
      const index = await fetch("./");
      if (!index.ok) throw new Error(`index.html: ${index.status}`);
      const files = filesOf(await index.clone().text());
      await cache.put("./", index);
      await cache.addAll([...files.filter((f) => f !== "./"), ...CHECKER]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("m13-site-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The page from the network when there is one, so a new deployment is
    // seen at once; the cached one (whatever its `?url=`) when there is not.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match("./", { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
