//! `builder!`, which defines each struct of the spec with its `new` constructor and its
//! `with_*` setters. Structs are `#[non_exhaustive]`, so code outside the crate cannot write
//! a struct literal: `new` takes the required fields and each `with_*` sets an optional one.
//! One macro invocation per struct keeps `models.rs` to the struct and a line per field.

/// `builder!(attrs pub struct Name { fields } new(mode field: Type, ..) default(field, ..)
/// with(mode setter field: Type, ..))` defines the struct as written, `#[non_exhaustive]` and
/// deriving `Clone`, `Debug`, `PartialEq` and serde's traits (every model does; `Default`
/// comes in `attrs` when all fields are optional), and implements `Name::new` and the
/// setters; each of the three lists may be left out when empty.
///
/// `mode` says how a value is taken and stored: `plain` as it is, `into` through
/// `impl Into<Type>` (strings), `boxed` and `into_boxed` the same but kept in a `Box` (a field
/// of a recursive type). `default` fields start at `Default::default()` (a one-value const, or
/// the map of extra properties); `with` fields start at `None`. The `impl` block allows
/// `deprecated`: it has to set the spec's deprecated fields.
#[allow(
    unused_macros,
    reason = "a spec without object schemas defines no struct types"
)]
macro_rules! builder {
    (
        $(#[$attr:meta])*
        pub struct $name:ident { $($body:tt)* }
        $(new($($arg_mode:ident $arg:ident: $arg_ty:ty),* $(,)?))?
        $(default($($default:ident),* $(,)?))?
        $(with($($set_mode:ident $setter:ident $field:ident: $field_ty:ty),* $(,)?))?
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name { $($body)* }

        #[allow(deprecated)]
        impl $name {
            /// Creates a value with the required fields; optional fields start empty.
            pub fn new($($($arg: crate::builders::builder!(@param $arg_mode $arg_ty)),*)?) -> Self {
                Self {
                    $($($arg: crate::builders::builder!(@store $arg_mode $arg),)*)?
                    $($($default: ::std::default::Default::default(),)*)?
                    $($($field: ::std::option::Option::None,)*)?
                }
            }

            $($(
                #[doc = concat!("Sets `", stringify!($field), "`.")]
                pub fn $setter(
                    mut self,
                    value: crate::builders::builder!(@param $set_mode $field_ty),
                ) -> Self {
                    self.$field = ::std::option::Option::Some(
                        crate::builders::builder!(@store $set_mode value),
                    );
                    self
                }
            )*)?
        }
    };
    (@param plain $ty:ty) => { $ty };
    (@param into $ty:ty) => { impl ::std::convert::Into<$ty> };
    (@param boxed $ty:ty) => { $ty };
    (@param into_boxed $ty:ty) => { impl ::std::convert::Into<$ty> };
    (@store plain $value:ident) => { $value };
    (@store into $value:ident) => { $value.into() };
    (@store boxed $value:ident) => { ::std::boxed::Box::new($value) };
    (@store into_boxed $value:ident) => { ::std::boxed::Box::new($value.into()) };
}

#[allow(
    unused_imports,
    reason = "a spec without object schemas defines no struct types"
)]
pub(crate) use builder;
