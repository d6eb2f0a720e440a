//! The signature check behind `jsonwebtoken::decode`: a verify-only
//! [`CryptoProvider`] over the RustCrypto crates (`rsa`, `p256`, `sha2`).
//!
//! jsonwebtoken's own `rust_crypto` provider holds its signers, HMAC and key
//! utilities in one static, so all of them (and an RNG) land in the Worker
//! even though we only ever verify. This one has verifiers for
//! [`super::ALLOWED_ALGORITHMS`] and nothing else.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;

/// A public key in the form the RustCrypto verifiers take.
#[derive(Debug)]
pub(super) enum PublicKey {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// From big-endian modulus and exponent; `None` when `rsa` refuses them
    /// (e.g. more than 4096 bits, or an exponent out of range).
    pub(super) fn rsa(n: &[u8], e: &[u8]) -> Option<Self> {
        let key = RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e));
        key.ok().map(Self::Rsa)
    }

    /// From an uncompressed SEC1 point; `None` when it is not on the curve.
    pub(super) fn p256(point: &[u8]) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .ok()
            .map(Self::P256)
    }

    /// From the key jsonwebtoken hands back, as jwks.rs built it.
    fn from_decoding(alg: Algorithm, key: &DecodingKey) -> Option<Self> {
        match key.kind() {
            DecodingKeyKind::RsaModulusExponent { n, e }
                if alg.family() == AlgorithmFamily::Rsa =>
            {
                Self::rsa(n, e)
            }
            DecodingKeyKind::SecretOrDer(point) if alg == Algorithm::ES256 => Self::p256(point),
            _ => None,
        }
    }
}

struct JwsVerifier {
    alg: Algorithm,
    key: PublicKey,
}

impl Verifier<Vec<u8>> for JwsVerifier {
    fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> Result<(), signature::Error> {
        use Algorithm::*;
        use PublicKey::*;
        let valid = match (&self.key, self.alg) {
            // RFC 7518 §3.3 (RSASSA-PKCS1-v1_5) and §3.5 (RSASSA-PSS).
            (Rsa(k), RS256) => k
                .verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg), sig)
                .is_ok(),
            (Rsa(k), RS384) => k
                .verify(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(msg), sig)
                .is_ok(),
            (Rsa(k), RS512) => k
                .verify(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(msg), sig)
                .is_ok(),
            (Rsa(k), PS256) => k
                .verify(Pss::new::<Sha256>(), &Sha256::digest(msg), sig)
                .is_ok(),
            (Rsa(k), PS384) => k
                .verify(Pss::new::<Sha384>(), &Sha384::digest(msg), sig)
                .is_ok(),
            (Rsa(k), PS512) => k
                .verify(Pss::new::<Sha512>(), &Sha512::digest(msg), sig)
                .is_ok(),
            // RFC 7518 §3.4: the signature is R || S, 32 bytes each.
            (P256(k), ES256) => {
                p256::ecdsa::Signature::from_slice(sig).is_ok_and(|sig| k.verify(msg, &sig).is_ok())
            }
            _ => false,
        };
        valid.then_some(()).ok_or_else(signature::Error::new)
    }
}

impl JwtVerifier for JwsVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn new_verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, Error> {
    if !super::ALLOWED_ALGORITHMS.contains(alg) {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    let key = PublicKey::from_decoding(*alg, key).ok_or(ErrorKind::InvalidKeyFormat)?;
    Ok(Box::new(JwsVerifier { alg: *alg, key }))
}

/// We never sign; tests borrow jsonwebtoken's RustCrypto signers.
#[cfg(not(test))]
fn new_signer(_: &Algorithm, _: &EncodingKey) -> Result<Box<dyn JwtSigner>, Error> {
    Err(ErrorKind::InvalidAlgorithm.into())
}

#[cfg(test)]
fn new_signer(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>, Error> {
    (jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.signer_factory)(alg, key)
}

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    // Only for converting keys to and from JWKs, which we do ourselves.
    key_utils: KeyUtils::new_unimplemented(),
};

/// Makes [`PROVIDER`] jsonwebtoken's process-wide default, before its first
/// use. True when ours is in effect: false would mean some other code used
/// jsonwebtoken first, and then its verifiers are not these.
pub(super) fn install() -> bool {
    match PROVIDER.install_default() {
        Ok(()) => true,
        Err(current) => std::ptr::eq(current, &PROVIDER),
    }
}
