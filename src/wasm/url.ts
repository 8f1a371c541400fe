// The alternative to the inlined bytes: fetch the .wasm file beside the page's code, e.g.
//   const module = await loadWasm(new URL("simdgan.wasm", import.meta.url));
//   const gan = await createGAN(options, module);
// so browsers compile while downloading and can cache the compiled code.

/** Fetches and compiles the module at `url`, streaming when the server labels it application/wasm. */
export async function loadWasm(url: string | URL, init?: RequestInit): Promise<WebAssembly.Module> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`cannot load ${String(url)}: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      // Streaming consumes the body, so compile a clone and keep the original for the fallback.
      return await WebAssembly.compileStreaming(response.clone());
    } catch (error) {
      // Wrong MIME type (servers that do not know .wasm) is a TypeError; anything else is a real failure.
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
