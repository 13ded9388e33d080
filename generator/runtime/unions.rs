//! The spec's unions. With a `discriminator` (`tagged_union!`): read the tag first, then
//! decode only the variant it names, so errors speak about that variant instead of "did not
//! match any variant". Without one (`untagged_union!`): serde tries each variant in order. A
//! generated union lists only its variants (and their tag values).

use serde::de::{Deserializer, Error};

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

/// How `tagged_union!` decodes a variant, by the mode its invocation gives: `plain` for a
/// variant holding its type, `boxed` for one holding it in a `Box` (a recursive type).
pub(crate) mod decode {
    use serde::de::{DeserializeOwned, Error};

    /// Decodes `value` as the variant's type and wraps it.
    #[allow(dead_code, reason = "used only by specs with tagged unions")]
    pub(crate) fn plain<T: DeserializeOwned, U, E: Error>(
        value: serde_json::Value,
        wrap: impl FnOnce(T) -> U,
    ) -> Result<U, E> {
        serde_json::from_value(value).map(wrap).map_err(E::custom)
    }

    /// Decodes `value` as the variant's type and wraps it boxed.
    #[allow(dead_code, reason = "used only by specs with recursive tagged unions")]
    pub(crate) fn boxed<T: DeserializeOwned, U, E: Error>(
        value: serde_json::Value,
        wrap: impl FnOnce(Box<T>) -> U,
    ) -> Result<U, E> {
        plain(value, |decoded| wrap(Box::new(decoded)))
    }
}

/// The error for a tag no variant has.
#[allow(dead_code, reason = "used only by specs with tagged unions")]
pub(crate) fn unknown_tag<U, E: Error>(
    found: &str,
    expected: &'static [&'static str],
) -> Result<U, E> {
    Err(E::unknown_variant(found, expected))
}

/// `tagged_union!(attrs Name by "tag" { "value" | .. => mode Variant(Type), .. })` defines
/// the enum (serialized as the variant itself, which keeps its tag property as a field:
/// serde's internally tagged enums would strip it) and a `Deserialize` that reads `"tag"`
/// first. `mode` is `plain`, or `boxed` when `Type` is a `Box` (see [`decode`]).
#[allow(unused_macros, reason = "a spec without tagged unions defines none")]
macro_rules! tagged_union {
    (
        $(#[$attr:meta])*
        $name:ident by $tag_name:literal {
            $($($tag:literal)|+ => $mode:ident $variant:ident($ty:ty),)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum $name {
            $($variant($ty),)*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                let (tag, value) = crate::unions::read_tag(deserializer, $tag_name)?;
                match tag.as_str() {
                    $($($tag)|+ => crate::unions::decode::$mode(value, Self::$variant),)*
                    other => crate::unions::unknown_tag(other, &[$($($tag,)+)*]),
                }
            }
        }
    };
}
#[allow(unused_imports, reason = "a spec without tagged unions defines none")]
pub(crate) use tagged_union;

/// `untagged_union!(attrs Name { Variant(Type), .. })` defines an enum that serializes as
/// the variant itself and decodes as the first variant that accepts the value.
#[allow(unused_macros, reason = "a spec without untagged unions defines none")]
macro_rules! untagged_union {
    (
        $(#[$attr:meta])*
        $name:ident { $($variant:ident($ty:ty),)* }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum $name {
            $($variant($ty),)*
        }
    };
}
#[allow(unused_imports, reason = "a spec without untagged unions defines none")]
pub(crate) use untagged_union;
