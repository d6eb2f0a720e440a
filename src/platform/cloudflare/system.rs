//! Clock and randomness adapters.

use crate::platform::PlatformError;
use crate::session::id::ID_BYTES;

/// Milliseconds since the Unix epoch (JS `Date.now()`; inside Workers it
/// advances only across I/O, which is what expiry arithmetic needs).
pub fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// Fresh bytes from `crypto.getRandomValues` via getrandom's `js` backend.
pub fn random_id_bytes() -> Result<[u8; ID_BYTES], PlatformError> {
    let mut bytes = [0u8; ID_BYTES];
    getrandom::getrandom(&mut bytes).map_err(|e| PlatformError::Entropy(e.to_string()))?;
    Ok(bytes)
}
