//! Decoding of unions with a `discriminator`: read the tag first, then decode only the variant
//! it names, so errors speak about that variant instead of "did not match any variant". The
//! generated `Deserialize` impls hold only the tag values and their variants.

use serde::de::{DeserializeOwned, Deserializer, Error};

/// The whole value and its tag, which must be a string.
#[allow(dead_code, reason = "used only by specs with tagged unions")]
pub(crate) fn read_tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, serde_json::Value), D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    match value.get(tag).and_then(serde_json::Value::as_str) {
        Some(found) => Ok((found.to_owned(), value)),
        None => Err(D::Error::missing_field(tag)),
    }
}

/// Decodes `value` as the variant's type and wraps it.
#[allow(dead_code, reason = "used only by specs with tagged unions")]
pub(crate) fn variant<T: DeserializeOwned, U, E: Error>(
    value: serde_json::Value,
    wrap: impl FnOnce(T) -> U,
) -> Result<U, E> {
    serde_json::from_value(value).map(wrap).map_err(E::custom)
}

/// The error for a tag no variant has.
#[allow(dead_code, reason = "used only by specs with tagged unions")]
pub(crate) fn unknown_tag<U, E: Error>(
    found: &str,
    expected: &'static [&'static str],
) -> Result<U, E> {
    Err(E::unknown_variant(found, expected))
}
