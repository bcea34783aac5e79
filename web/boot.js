// Starts the app without an inline script, so the Content-Security-Policy
// can stay `script-src 'self' 'wasm-unsafe-eval'`. Trunk writes the hashed
// names of the wasm-bindgen module and the wasm into the two preload links
// (Trunk.toml: pattern_preload).
const js = document.getElementById("m13-js");
const wasm = document.getElementById("m13-wasm");
if (js && wasm) {
  const { default: init } = await import(js.href);
  await init({ module_or_path: wasm.href });
} else {
  document.body.textContent = "The page is incomplete: rebuild it with `cargo xtask dist`.";
}
