//! `string_enum!` and `integer_enum!`, which define the open enums of the spec: one variant
//! per documented value plus `Unknown`, which keeps values the API added after the client was
//! generated. One macro invocation per enum keeps `models.rs` to the values themselves.
//! A variant the generator gives no docs is documented by its wire value, as code
//! (`wire_doc!`); the generator leaves a variant bare only when that value shows safely as a
//! one-line code span, and writes escaped docs itself otherwise.
//!
//! Names inside the expansions (`__S`, `__D`, `__E`, `__Visitor`) cannot be spelled by a
//! spec's schema, so a type called `E`, `Visitor` or `Value` still compiles.

/// Defines an enum of known string values and `Unknown(String)`, with `as_str`, `From<&str>`,
/// `FromStr`, `Display` and serde impls that keep unknown values as they are.
#[allow(
    unused_macros,
    reason = "specs without string enums define no string enum types"
)]
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        $name:ident { $($(#[$variant_attr:meta])* $variant:ident = $wire:literal,)* }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_attr])* #[doc = crate::enums::wire_doc!([$(#[$variant_attr])*] $wire)] $variant,)*
            /// A value this client does not know yet: the API added it after the client
            /// was generated.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($wire => ::std::option::Option::Some(Self::$variant),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::request::ParamValue for $name {
            fn param_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                // A visitor rather than `String::deserialize`: known values borrow the
                // input and allocate nothing.
                struct __Visitor;
                impl ::serde::de::Visitor<'_> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(::std::concat!("a ", ::std::stringify!($name), " string"))
                    }
                    fn visit_str<__E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<Self::Value, __E> {
                        ::std::result::Result::Ok(<$name>::from(value))
                    }
                    fn visit_string<__E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<Self::Value, __E> {
                        ::std::result::Result::Ok(
                            <$name>::known(&value).unwrap_or(<$name>::Unknown(value)),
                        )
                    }
                }
                deserializer.deserialize_str(__Visitor)
            }
        }
    };
}

/// Defines an enum of known integer values and `Unknown(i64)`, with `value`, `From<i64>` and
/// serde impls that keep unknown values as they are.
#[allow(
    unused_macros,
    reason = "specs without integer enums define no integer enum types"
)]
macro_rules! integer_enum {
    (
        $(#[$attr:meta])*
        $name:ident { $($(#[$variant_attr:meta])* $variant:ident = $wire:literal,)* }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_attr])* #[doc = crate::enums::wire_doc!([$(#[$variant_attr])*] $wire)] $variant,)*
            /// A value this client does not know yet.
            Unknown(i64),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl crate::request::ParamValue for $name {
            fn param_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Owned(self.value().to_string())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

#[allow(
    unused_imports,
    reason = "specs without string enums define no string enum types"
)]
pub(crate) use string_enum;

#[allow(
    unused_imports,
    reason = "specs without integer enums define no integer enum types"
)]
pub(crate) use integer_enum;

/// The doc of a variant: its wire value as a code span when the invocation gave the variant
/// no attributes of its own, otherwise nothing (an empty doc line after the given ones).
#[allow(unused_macros, reason = "specs without enums never document a variant")]
macro_rules! wire_doc {
    ([] $wire:literal) => {
        concat!("`", $wire, "`")
    };
    ([$($attrs:tt)+] $wire:literal) => {
        ""
    };
}
#[allow(
    unused_imports,
    reason = "specs without enums never document a variant"
)]
pub(crate) use wire_doc;
