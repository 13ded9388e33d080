//! `const_type!`, which defines the zero-sized types of one-value strings (`object: "list"`,
//! `type: "message"`). Specs like OpenAI's have over a thousand of them; one macro keeps
//! `models.rs` to a line each.

/// Defines `pub struct $name;`, which serializes as the string `$value` and deserializes
/// only from it.
#[allow(
    unused_macros,
    reason = "specs without one-value strings define no const types"
)]
macro_rules! const_type {
    ($(#[$attr:meta])* $name:ident = $value:literal) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name;

        impl $name {
            /// The only value this type can hold.
            pub const VALUE: &'static str = $value;

            /// The value as sent on the wire.
            pub fn as_str(self) -> &'static str {
                Self::VALUE
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl crate::request::ParamValue for $name {
            fn param_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(Self::VALUE)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                // `__`-prefixed names: a schema may be called `D`, `E` or `Visitor`.
                struct __Visitor;
                impl ::serde::de::Visitor<'_> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(::std::concat!("the string `", $value, "`"))
                    }
                    fn visit_str<__E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<Self::Value, __E> {
                        if value == $value {
                            ::std::result::Result::Ok(<$name>::default())
                        } else {
                            ::std::result::Result::Err(__E::invalid_value(
                                ::serde::de::Unexpected::Str(value),
                                &self,
                            ))
                        }
                    }
                }
                deserializer.deserialize_str(__Visitor)
            }
        }
    };
}

#[allow(
    unused_imports,
    reason = "specs without one-value strings define no const types"
)]
pub(crate) use const_type;
