//! Session ids: 256 random bits, hex-encoded.
//!
//! MCP 2025-11-25 (basic/transports, "Session Management"): the id SHOULD be
//! globally unique and cryptographically secure and MUST contain only visible
//! ASCII (0x21–0x7E). Hex satisfies that and is URL-safe. The bytes come from
//! the platform's CSPRNG; this module only encodes and validates.

use std::fmt;

/// Bytes of entropy per id.
pub const ID_BYTES: usize = 32;
const ID_LEN: usize = ID_BYTES * 2;

/// A well-formed session id. Holding one says nothing about whether the
/// session exists; only its Durable Object knows that.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// Encodes fresh random bytes as an id.
    pub fn from_random(bytes: [u8; ID_BYTES]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(ID_LEN);
        for b in bytes {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        Self(s)
    }

    /// Accepts a client-supplied `Mcp-Session-Id`. Anything that is not an id
    /// we could have minted is refused here, before any Durable Object lookup.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.len() == ID_LEN && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_64_visible_ascii_hex_chars() {
        let id = SessionId::from_random([0xab; ID_BYTES]);
        assert_eq!(id.as_str().len(), 64);
        assert!(id.as_str().bytes().all(|b| (0x21..=0x7e).contains(&b)));
        assert_eq!(&id.as_str()[..4], "abab");
        let mut bytes = [0u8; ID_BYTES];
        bytes[31] = 0x0f;
        assert!(SessionId::from_random(bytes).as_str().ends_with("0f"));
    }

    #[test]
    fn parse_accepts_only_what_we_mint() {
        let id = SessionId::from_random([0xa7; ID_BYTES]);
        assert_eq!(SessionId::parse(id.as_str()), Some(id.clone()));
        for bad in [
            "",
            "abc",
            &id.as_str().to_uppercase(),
            &format!("{}0", id.as_str()),
            &id.as_str().replace('a', "g"),
            "../../../../../../../../../../../../../../../../../../../../etc/pa",
        ] {
            assert_eq!(SessionId::parse(bad), None, "{bad}");
        }
    }
}
