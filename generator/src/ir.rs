//! What the API means, independent of how the spec spelled it and of how Rust will say
//! it: named types, operations, parameters, bodies, responses, auth and pagination.
//!
//! Nothing here knows `openapiv3` or `quote`. `lower` builds it; `emit` reads it.

/// The whole API, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub client: ClientConfig,
    /// Every named type, indexed by [`TypeId`]; emitted in this order.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The crate's Cargo features, one per tag (sorted by name); empty when no operation
    /// has a tag. [`Gate`]s index into it.
    pub features: Vec<Feature>,
    /// The gate of each type, indexed like [`Api::types`]: the features whose
    /// operations reach it (set by `lower::features`).
    pub type_gates: Vec<Gate>,
}

/// A Cargo feature of the generated crate: the operations of one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml`: `[a-z0-9-]`, starting with a letter.
    pub name: String,
    pub kind: FeatureKind,
    /// How many operations it gates.
    pub operations: usize,
}

/// What a [`Feature`] compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureKind {
    /// The operations of this tag.
    Tag(String),
    /// The operations without a tag.
    Untagged,
    /// The types no operation reaches.
    Unreferenced,
}

/// Which Cargo features compile an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Gate {
    /// Compiled whatever the features: the crate has no features, or every feature
    /// needs the item.
    #[default]
    Always,
    /// Compiled when any of these features (indices into [`Api::features`]) is on.
    AnyOf(Vec<usize>),
}

impl Api {
    /// Whether any operation answers with an event stream (the crate then needs the
    /// runtime's `sse` module and its SSE parser).
    pub fn has_event_streams(&self) -> bool {
        self.operations.iter().any(|op| op.event_stream.is_some())
    }

    /// Whether any type uses `jiff` (date-time typing chosen and present).
    pub fn uses_jiff(&self) -> bool {
        let uses = |ty: &TypeRef| ty.any(&|t| matches!(t, TypeRef::DateTime | TypeRef::Date));
        self.types.iter().any(|def| match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().any(|f| uses(&f.ty)) || s.additional.as_ref().is_some_and(uses)
            }
            TypeKind::Union(u) => u.variants.iter().any(|v| uses(&v.ty)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => uses(ty),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Const(_) => false,
        }) || self.operations.iter().any(|op| {
            op.body.as_ref().is_some_and(|b| uses(&b.ty))
                || matches!(&op.response.kind, ResponseKind::Json(ty) if uses(ty))
                || op.event_stream.as_ref().is_some_and(|s| uses(&s.event))
        })
    }
}

impl TypeRef {
    /// Whether this type or one it contains satisfies `test`.
    pub fn any(&self, test: &dyn Fn(&TypeRef) -> bool) -> bool {
        test(self)
            || match self {
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    inner.any(test)
                }
                _ => false,
            }
    }
}

/// Settings of the generated client that come from the spec (servers, security,
/// `x-rust-client`).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub crate_name: String,
    pub default_base_url: String,
    pub api_key_env: String,
    pub base_url_env: String,
    pub auth: Auth,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Bearer,
    Basic,
    ApiKeyHeader(String),
    ApiKeyQuery(String),
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust type name, unique in the models module.
    pub name: String,
    pub docs: Docs,
    /// Where the schema was defined, as a JSON pointer into the spec.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// A JSON example from the spec, used by the mock server's samples.
    pub example: Option<Example>,
}

/// A value the spec gives as an example, and where: lowering keeps only examples that
/// decode into the type they illustrate (`lower/examples.rs`), so the mock never serves,
/// and the crate's tests never decode, a vendor's mistake.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub value: serde_json::Value,
    /// The example's JSON pointer in the spec, for the warning when it does not fit.
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum. Unknown values deserialize into an `Unknown(String)` variant.
    StringEnum(Vec<EnumValue>),
    /// An integer enum; unknown values go to `Unknown(i64)`.
    IntegerEnum(Vec<IntegerEnumValue>),
    /// A string that can only ever hold one value (`x-stainless-const`, `const`).
    Const(String),
    /// A union of alternatives (`oneOf`/`anyOf`), tagged or untagged.
    Union(Union),
    /// `pub type Name = Target;` for named arrays, maps and primitives.
    Alias(TypeRef),
    /// `pub struct Name(pub Target);` (serde-transparent): an array or map schema that
    /// contains itself (`A: {additionalProperties: {$ref: A}}`), which a type alias
    /// cannot express.
    Newtype(TypeRef),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties, flattened into a map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub docs: Docs,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Other wire names this field is read from (`x-aliases`).
    pub aliases: Vec<String>,
    pub read_only: bool,
    pub write_only: bool,
    /// Set by cycle detection: the field holds its type behind a `Box`.
    pub boxed: bool,
    pub default: Option<serde_json::Value>,
}

impl Field {
    /// Whether the Rust field is an `Option` (absent, or explicitly null).
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub rust_name: String,
    pub wire: String,
    pub docs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IntegerEnumValue {
    pub rust_name: String,
    pub wire: i64,
    pub docs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property that names the variant, when the spec gives a `discriminator`.
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant (tagged unions only).
    pub tag_values: Vec<String>,
    /// Set by cycle detection: the variant holds its type behind a `Box`.
    pub boxed: bool,
}

/// A use of a type: a primitive, a container, or a named [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// An `Option` inside a container: array items or map values that may be `null`.
    /// (Fields carry their nullability on [`Field`].)
    Nullable(Box<TypeRef>),
    /// Anything: `serde_json::Value`.
    Json,
    /// Raw bytes (`format: binary` bodies).
    Bytes,
    /// Seconds since the Unix epoch (`format: unixtime` integers): the runtime's
    /// `UnixTime`, which (de)serializes as the same integer.
    UnixTime,
    /// An RFC 3339 instant (`format: date-time`), when [`DateTimeType::Jiff`] is chosen.
    DateTime,
    /// A calendar date (`format: date`), when [`DateTimeType::Jiff`] is chosen.
    Date,
}

/// How `format: date-time` and `format: date` strings are typed in the generated crate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateTimeType {
    /// `String`: no dependency, and a server's slightly-off timestamp never fails a
    /// response.
    #[default]
    String,
    /// `jiff::Timestamp` and `jiff::civil::Date`: parsed and checked on arrival; a
    /// malformed value is a decode error naming its field.
    Jiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerFormat {
    I32,
    I64,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    F32,
    F64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's operationId, or one derived from method and path.
    pub id: String,
    /// `snake_case` method name on the client.
    pub method_name: String,
    /// `PascalCase` name of the operation's parameter struct.
    pub type_name: String,
    pub http_method: Method,
    /// The path template, e.g. `/organization/invites/{invite_id}`.
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: SuccessResponse,
    pub pagination: Option<Pagination>,
    /// The `text/event-stream` success response, when the operation has one.
    pub event_stream: Option<EventStream>,
    /// The spec's `tags`, in its order.
    pub tags: Vec<String>,
    /// The features that compile this operation: those of its tags.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// How a parameter's value is written (the OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// Path and header parameters, and `form` query parameters: one text per value.
    Simple,
    SpaceDelimited,
    PipeDelimited,
    /// Query objects in brackets, `name[key][inner]=v`, arrays `name[key][]=v`.
    DeepObject,
}

impl ParamStyle {
    /// What joins the items of an array that is not exploded.
    pub fn separator(self) -> &'static str {
        match self {
            ParamStyle::Simple | ParamStyle::DeepObject => ",",
            ParamStyle::SpaceDelimited => " ",
            ParamStyle::PipeDelimited => "|",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub rust_name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// For arrays in the query: repeat the key (`explode`), or join with the style's
    /// separator.
    pub explode: bool,
    pub style: ParamStyle,
    pub constraints: Constraints,
    pub example: Option<Example>,
}

/// Validation the client does before sending, from schema keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub encoding: BodyEncoding,
    pub ty: TypeRef,
    pub required: bool,
    /// The spec's example of the body, sent by the mock's own tests.
    pub example: Option<Example>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct SuccessResponse {
    pub kind: ResponseKind,
    /// The status codes that carry it (empty: any 2xx).
    pub statuses: Vec<u16>,
    pub example: Option<Example>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Json(TypeRef),
    Text,
    Bytes,
    Empty,
}

/// A success response of `text/event-stream`: what each event's `data` decodes to.
#[derive(Debug, Clone)]
pub struct EventStream {
    pub event: TypeRef,
    /// The body's boolean `stream` property, which the streaming call sets to `true`.
    pub stream_flag: Option<StreamFlag>,
    /// Whether the spec says a complete stream ends with `data: [DONE]`.
    pub ends_with_done: bool,
    /// Events for the mock to send: the media type's examples, else none (a schema
    /// sample is used).
    pub examples: Vec<Example>,
}

/// The request body's `stream` switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFlag {
    pub rust_name: String,
    /// The field is an `Option<bool>`.
    pub optional: bool,
}

/// Cursor pagination, detected from the shape of the list response.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Index into [`Operation::params`] of the cursor (`after`).
    pub cursor_param: usize,
    /// The struct field holding the page's items.
    pub items_field: String,
    pub item_ty: TypeRef,
    pub has_more_field: String,
    pub last_id_field: String,
}

/// Warnings and errors found while lowering, each tied to a spec location.
pub use crate::diagnostics::Diagnostic;

/// Counts used in reports and the closing summary of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub operations: usize,
    pub types: usize,
}

impl Api {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    pub fn stats(&self) -> Stats {
        Stats {
            operations: self.operations.len(),
            types: self.types.len(),
        }
    }
}
