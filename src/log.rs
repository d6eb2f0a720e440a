//! Log sink. On Workers a line goes to the console (Workers Logs / `wrangler
//! tail`); on the host it goes to stderr. Callers never pass secrets here.

pub fn info(line: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::platform::cloudflare::console::info(line);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{line}");
}

pub fn error(line: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::platform::cloudflare::console::error(line);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{line}");
}
