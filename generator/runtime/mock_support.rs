//! The spec-independent half of the `mock` feature: [`MockServer`] (builder, seeding, recorded
//! requests, fault injection) and the interpreter that serves the generated `mock::MODEL`, a
//! description of the API (routes, parameters, schemas, resources) written by the generator.
//! Compiled only with the `mock` feature.

// Checks return the rejection itself as the error; boxing it would only add noise to a test
// server's cold path.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The key [`MockServer::client`] sends unless the builder chose another; the mock accepts
/// only the key it was started with.
pub const MOCK_API_KEY: &str = "mock-api-key";

/// A fake of the API listening on `127.0.0.1`. It stops when dropped.
///
/// Operations that belong to a resource the generator recognised (a collection path with
/// list/create, an item path below it with retrieve/update/delete) keep their items in
/// memory; every other operation answers with the spec's example or a sample of its schema.
#[derive(Debug)]
pub struct MockServer {
    address: std::net::SocketAddr,
    state: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Settings of a [`MockServer`] before it starts: the accepted key and the items it starts
/// with.
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    api_key: String,
    seeds: Vec<(String, Value)>,
}

/// A request the mock received, without its credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query parameters in order (the API key removed when it travels in the query).
    pub query: Vec<(String, String)>,
    /// Header names (lowercase) and values, without the one carrying the key.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The client method name of the operation it matched, if any.
    pub operation: Option<String>,
}

impl RecordedRequest {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the mock does instead of answering normally, for the next calls of one operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fault {
    status: Option<u16>,
    retry_after: Option<String>,
    delay: Option<Duration>,
    drop_connection: bool,
}

impl Fault {
    /// Answer with this status (and the API's error body).
    pub fn status(status: u16) -> Self {
        Fault {
            status: Some(status),
            ..Fault::default()
        }
    }

    /// Close the connection without answering.
    pub fn dropped_connection() -> Self {
        Fault {
            drop_connection: true,
            ..Fault::default()
        }
    }

    /// Wait this long before answering (alone: then answer normally).
    pub fn delay(delay: Duration) -> Self {
        Fault {
            delay: Some(delay),
            ..Fault::default()
        }
    }

    /// Adds a `Retry-After` header (seconds, or an HTTP date) to the fault's answer.
    pub fn with_retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Also wait this long first.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            api_key: MOCK_API_KEY.to_string(),
            seeds: Vec::new(),
        }
    }
}

impl MockServerBuilder {
    /// The only key the server accepts (default [`MOCK_API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Stores `item` in the collection at `collection_path` (a concrete path such as
    /// `/organization/invites`) before the server starts. Fields the server would set
    /// (an id, constant `object` fields, timestamps) are filled in when missing.
    pub fn seed(mut self, collection_path: impl Into<String>, item: Value) -> Self {
        self.seeds.push((collection_path.into(), item));
        self
    }

    /// Starts the server on a free port of `127.0.0.1`. Fails when a seed's path names no
    /// collection of the API.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let model: Model =
            serde_json::from_str(crate::mock::MODEL).map_err(std::io::Error::other)?;
        let state = Arc::new(Shared {
            model,
            api_key: self.api_key,
            store: Mutex::new(Store::default()),
            requests: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
        });
        for (path, item) in self.seeds {
            state.seed(&path, item)?;
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(Arc::clone(&state));
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // The server only ends by shutdown or when the listener fails; either way there
            // is no one to report to but the caller's next request.
            let _ = server.await;
        });
        Ok(MockServer {
            address,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

impl MockServer {
    /// Starts the server on a free port of `127.0.0.1`, accepting [`MOCK_API_KEY`], empty.
    pub async fn start() -> std::io::Result<Self> {
        MockServerBuilder::default().start().await
    }

    /// Settings before starting: the accepted key, seeded items.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The URL to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The key this server accepts.
    pub fn api_key(&self) -> &str {
        &self.state.api_key
    }

    /// A client pointed at this server, with its key.
    pub fn client(&self) -> Result<crate::Client, crate::Error> {
        crate::Client::builder()
            .api_key(self.state.api_key.clone())
            .base_url(self.base_url())
            .build()
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.state.requests).clear();
    }

    /// The next `times` calls of `operation` (the client method name, e.g. `list_invites`)
    /// suffer `fault` instead of their normal answer.
    pub fn fail_next(&self, operation: &str, times: usize, fault: Fault) {
        lock(&self.state.faults).push((operation.to_string(), times, fault));
    }

    /// The items stored in the collection at `collection_path`, in creation order.
    pub fn items(&self, collection_path: &str) -> Vec<Value> {
        let Some((resource, scope)) = self.state.collection(collection_path) else {
            return Vec::new();
        };
        lock(&self.state.store)
            .items
            .get(&(resource, scope))
            .cloned()
            .unwrap_or_default()
    }

    /// Stops the server and waits until it has closed its listener.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A poisoned lock only means another request panicked mid-way; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---------------------------------------------------------------------------------------
// The model the generator writes (`mock::MODEL`, JSON).

#[derive(Debug, Deserialize)]
struct Model {
    auth: AuthModel,
    types: Vec<Shape>,
    operations: Vec<OperationModel>,
    resources: Vec<ResourceModel>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AuthModel {
    None,
    Bearer,
    Basic,
    Header(String),
    Query(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Ty {
    Named(usize),
    String,
    Integer,
    Number,
    Boolean,
    Array(Box<Ty>),
    Map(Box<Ty>),
    Nullable(Box<Ty>),
    Json,
    Bytes,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Shape {
    Struct {
        fields: Vec<FieldModel>,
    },
    /// A closed enum: the server accepts only these values.
    Enum(Vec<Value>),
    Const(String),
    Union {
        variants: Vec<VariantModel>,
        tag: Option<String>,
    },
    Alias(Ty),
}

#[derive(Debug, Deserialize)]
struct FieldModel {
    name: String,
    ty: Ty,
    required: bool,
    nullable: bool,
    read_only: bool,
}

#[derive(Debug, Deserialize)]
struct VariantModel {
    ty: Ty,
    tag_values: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OperationModel {
    /// The client method name.
    name: String,
    method: String,
    /// Path segments, each a sequence of literal text and parameter names.
    segments: Vec<Vec<Piece>>,
    /// `key=value` written into the spec's path key (`/responses?beta=true`).
    query_key: Option<(String, String)>,
    params: Vec<ParamModel>,
    body: Option<BodyModel>,
    status: u16,
    content_type: String,
    canned: String,
    /// The events served, as `text/event-stream`, to a request that accepts them.
    #[serde(default)]
    stream: Option<String>,
    role: Option<(usize, Role)>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Piece {
    Literal(String),
    Param(String),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug, Deserialize)]
struct ParamModel {
    name: String,
    location: Location,
    required: bool,
    ty: Ty,
    /// Array items joined by this text in one value (`None`: one item per value).
    separator: Option<String>,
    /// Sent in brackets (`name[key][]=v`, OpenAPI's `deepObject`); written only when set.
    #[serde(default)]
    deep_object: bool,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct BodyModel {
    /// The JSON type to validate against; `None` for other encodings.
    json: Option<Ty>,
    required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Role {
    Create,
    List,
    Retrieve,
    Update,
    Delete,
}

#[derive(Debug, Deserialize)]
struct ResourceModel {
    /// The collection path, as segments like an operation's.
    collection: Vec<Vec<Piece>>,
    /// The path parameter naming one item.
    item_param: String,
    id_field: String,
    /// Whether ids are numbers (else strings made of `id_prefix` and a counter).
    numeric_id: bool,
    id_prefix: String,
    /// What a new item holds before the posted fields are laid over it.
    template: Map<String, Value>,
    /// Fields the server always sets (constant `object` values).
    constants: Map<String, Value>,
    /// Integer `*_at` fields: the creation time first, if the item has one.
    timestamps: Vec<String>,
    /// The names of the item's fields; `None` when it takes any field.
    fields: Option<Vec<String>>,
    list: Option<ListModel>,
}

#[derive(Debug, Deserialize)]
struct ListModel {
    /// The field of the list response holding the items; `None` for a bare array.
    items_field: Option<String>,
    has_more_field: Option<String>,
    first_id_field: Option<String>,
    last_id_field: Option<String>,
    cursor_param: Option<String>,
    limit_param: Option<String>,
}

// ---------------------------------------------------------------------------------------
// The server's state.

#[derive(Debug)]
struct Shared {
    model: Model,
    api_key: String,
    store: Mutex<Store>,
    requests: Mutex<Vec<RecordedRequest>>,
    faults: Mutex<Vec<(String, usize, Fault)>>,
}

/// The items of each resource, per scope (the values of the collection path's parameters).
#[derive(Debug, Default)]
struct Store {
    items: BTreeMap<(usize, Vec<String>), Vec<Value>>,
    next_id: u64,
}

/// A rejection or an answer: either way the response to send.
type Answer = Result<Response, Response>;

impl Shared {
    /// The resource and scope of a concrete collection path.
    fn collection(&self, path: &str) -> Option<(usize, Vec<String>)> {
        let segments = split_path(path);
        self.model
            .resources
            .iter()
            .enumerate()
            .find_map(|(index, resource)| {
                let values = match_segments(&resource.collection, &segments)?;
                Some((index, values.into_iter().map(|(_, value)| value).collect()))
            })
    }

    fn seed(&self, path: &str, item: Value) -> std::io::Result<()> {
        let (resource, scope) = self.collection(path).ok_or_else(|| {
            std::io::Error::other(format!("`{path}` is not a collection of the API"))
        })?;
        let mut store = lock(&self.store);
        let item = new_item(&self.model.resources[resource], &mut store, &item);
        store.items.entry((resource, scope)).or_default().push(item);
        Ok(())
    }

    fn record(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> usize {
        let key_header = match &self.model.auth {
            AuthModel::Header(name) => Some(name.to_ascii_lowercase()),
            AuthModel::Bearer | AuthModel::Basic => Some(String::from("authorization")),
            AuthModel::None | AuthModel::Query(_) => None,
        };
        let key_query = match &self.model.auth {
            AuthModel::Query(name) => Some(name.as_str()),
            _ => None,
        };
        let request = RecordedRequest {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: query_pairs(uri)
                .into_iter()
                .filter(|(name, _)| Some(name.as_str()) != key_query)
                .collect(),
            headers: headers
                .iter()
                .filter(|(name, _)| Some(name.as_str()) != key_header.as_deref())
                .map(|(name, value)| {
                    (
                        name.to_string(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.clone(),
            operation: None,
        };
        let mut requests = lock(&self.requests);
        requests.push(request);
        requests.len() - 1
    }

    fn take_fault(&self, operation: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let index = faults
            .iter()
            .position(|(name, times, _)| name == operation && *times > 0)?;
        let entry = &mut faults[index];
        entry.1 -= 1;
        let fault = entry.2.clone();
        if entry.1 == 0 {
            faults.remove(index);
        }
        Some(fault)
    }

    /// Whether operation `reached` is a variant of the route of `expected` (same method, same
    /// path pattern but for parameter names) that accepts `request` and that the router
    /// tries first (it requires at least as many query and header parameters): a server
    /// could not have told the two apart either.
    #[cfg(test)]
    fn indistinguishable_variant(
        &self,
        reached: &str,
        expected: &[String],
        request: &RecordedRequest,
    ) -> bool {
        let find = |name: &str| self.model.operations.iter().find(|op| op.name == name);
        let (Some(reached_op), Some(wanted)) =
            (find(reached), expected.first().and_then(|n| find(n)))
        else {
            return false;
        };
        let shape = |op: &OperationModel| -> Vec<Vec<Option<String>>> {
            op.segments
                .iter()
                .map(|pieces| {
                    pieces
                        .iter()
                        .map(|piece| match piece {
                            Piece::Literal(text) => Some(text.clone()),
                            Piece::Param(_) => None,
                        })
                        .collect()
                })
                .collect()
        };
        reached_op.method == wanted.method
            && shape(reached_op) == shape(wanted)
            && required_query_and_headers(reached_op) >= required_query_and_headers(wanted)
            && self.accepts(reached, request)
    }

    /// Whether operation `name` would accept `request` as it was recorded.
    #[cfg(test)]
    fn accepts(&self, name: &str, request: &RecordedRequest) -> bool {
        let Some(op) = self.model.operations.iter().find(|op| op.name == name) else {
            return false;
        };
        let Some(path) = match_segments(&op.segments, &split_path(&request.path)) else {
            return false;
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            if let (Ok(name), Ok(value)) = (
                axum::http::HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        validate(
            &self.model,
            op,
            &path,
            &request.query,
            &headers,
            &request.body,
        )
        .is_ok()
    }

    fn check_auth(&self, headers: &HeaderMap, query: &[(String, String)]) -> Result<(), Response> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let accepted = match &self.model.auth {
            AuthModel::None => true,
            AuthModel::Bearer => header("authorization")
                .is_some_and(|value| value == format!("Bearer {}", self.api_key)),
            AuthModel::Basic => header("authorization").is_some_and(|value| {
                value == format!("Basic {}", crate::client::base64(self.api_key.as_bytes()))
            }),
            AuthModel::Header(name) => {
                header(&name.to_ascii_lowercase()).is_some_and(|value| value == self.api_key)
            }
            AuthModel::Query(name) => query
                .iter()
                .any(|(key, value)| key == name && *value == self.api_key),
        };
        if accepted {
            Ok(())
        } else {
            Err(error_response(
                401,
                String::from("Incorrect API key provided."),
                None,
                "invalid_api_key",
            ))
        }
    }
}

/// The one handler: finds the operation, applies faults, checks the request and answers.
async fn serve(
    axum::extract::State(state): axum::extract::State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let record = state.record(&method, &uri, &headers, &body);
    let query = query_pairs(&uri);
    let segments = split_path(uri.path());
    let mut candidates: Vec<(&OperationModel, Vec<(String, String)>)> = state
        .model
        .operations
        .iter()
        .filter(|op| op.method.eq_ignore_ascii_case(method.as_str()))
        .filter_map(|op| Some((op, match_segments(&op.segments, &segments)?)))
        .collect();
    // A literal segment is more specific than a template, as on real servers (and as OpenAPI
    // asks): `/files/upload_sessions` is not `/files/{file_id}`, whichever the spec lists first.
    // Among variants of one route (`#fragment` operations), the one that asks for more is
    // tried first: a request that carries its required parameters means it, and one that
    // lacks them fails its validation and falls through to the plainer variant.
    candidates.sort_by_key(|(op, _)| {
        (
            templated_segments(&op.segments),
            std::cmp::Reverse(required_query_and_headers(op)),
        )
    });
    // `/responses?beta=true` and `/responses` share a path: the query key decides, and the
    // variant that asks for none comes second.
    let keyed: Vec<_> = candidates
        .iter()
        .filter(|(op, _)| {
            op.query_key
                .as_ref()
                .is_some_and(|(key, value)| query.iter().any(|(k, v)| k == key && v == value))
        })
        .collect();
    let candidates: Vec<_> = if keyed.is_empty() {
        candidates
            .iter()
            .filter(|(op, _)| op.query_key.is_none())
            .collect()
    } else {
        keyed
    };
    let Some(first) = candidates.first() else {
        return error_response(
            404,
            format!("Invalid URL ({} {})", method, uri.path()),
            None,
            "not_found",
        );
    };
    // Variants of one path told apart only by a `#fragment` in the spec: the first whose
    // parameters and body the request satisfies.
    let (op, path_values) = candidates
        .iter()
        .find(|(op, path)| validate(&state.model, op, path, &query, &headers, &body).is_ok())
        .unwrap_or(first);
    lock(&state.requests)[record].operation = Some(op.name.clone());
    let mut response = match answer(&state, op, path_values, &query, &headers, &body).await {
        Ok(response) | Err(response) => response,
    };
    if let Ok(name) = HeaderValue::from_str(&op.name) {
        response.headers_mut().insert("x-mock-operation", name);
    }
    response
}

async fn answer(
    state: &Shared,
    op: &OperationModel,
    path: &[(String, String)],
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &Bytes,
) -> Answer {
    if let Some(fault) = state.take_fault(&op.name) {
        if let Some(delay) = fault.delay {
            tokio::time::sleep(delay).await;
        }
        if fault.drop_connection {
            // Unwinding out of the handler makes the server drop the connection without a
            // response; `resume_unwind` skips the panic hook, so nothing is printed.
            std::panic::resume_unwind(Box::new("mock: dropped connection"));
        }
        if let Some(status) = fault.status {
            let mut response = error_response(
                status,
                format!("injected fault: {status}"),
                None,
                "mock_fault",
            );
            if let Some(value) = fault
                .retry_after
                .as_deref()
                .and_then(|value| HeaderValue::from_str(value).ok())
            {
                response.headers_mut().insert("retry-after", value);
            }
            return Err(response);
        }
    }
    state.check_auth(headers, query)?;
    validate(&state.model, op, path, query, headers, body)?;
    if let Some(events) = &op.stream {
        let wants_stream = headers
            .get(axum::http::header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("text/event-stream"));
        if wants_stream {
            return Ok(respond(op.status, "text/event-stream", events.clone()));
        }
    }
    let Some((resource_index, role)) = op.role else {
        return Ok(respond(op.status, &op.content_type, op.canned.clone()));
    };
    let resource = &state.model.resources[resource_index];
    let value_of = |name: &str| {
        path.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let scope: Vec<String> = resource
        .collection
        .iter()
        .flatten()
        .filter_map(|piece| match piece {
            Piece::Param(name) => value_of(name),
            Piece::Literal(_) => None,
        })
        .collect();
    let key = (resource_index, scope);
    let item_id = value_of(&resource.item_param).unwrap_or_default();
    let mut store = lock(&state.store);
    let not_found = || {
        error_response(
            404,
            format!("No such object: '{item_id}'"),
            Some(&resource.item_param),
            "not_found",
        )
    };
    let position = |items: &[Value]| {
        items
            .iter()
            .position(|item| id_text(item.get(&resource.id_field)) == item_id)
    };
    match role {
        Role::Create => {
            let posted = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
            let item = new_item(resource, &mut store, &posted);
            store.items.entry(key).or_default().push(item.clone());
            Ok(json_response(op.status, &item))
        }
        Role::Retrieve => {
            let items = store.items.entry(key).or_default();
            let index = position(items).ok_or_else(not_found)?;
            Ok(json_response(op.status, &items[index]))
        }
        Role::Update => {
            let items = store.items.entry(key).or_default();
            let index = position(items).ok_or_else(not_found)?;
            if let (Value::Object(item), Ok(Value::Object(changes))) =
                (&mut items[index], serde_json::from_slice::<Value>(body))
            {
                for (name, value) in changes {
                    if name != resource.id_field && keeps_field(resource, &name) {
                        item.insert(name, value);
                    }
                }
            }
            Ok(json_response(op.status, &items[index]))
        }
        Role::Delete => {
            let items = store.items.entry(key).or_default();
            let index = position(items).ok_or_else(not_found)?;
            let removed = items.remove(index);
            let mut canned = serde_json::from_str::<Value>(&op.canned).unwrap_or(Value::Null);
            if let Value::Object(object) = &mut canned {
                if object.contains_key(&resource.id_field) {
                    let id = removed
                        .get(&resource.id_field)
                        .cloned()
                        .unwrap_or(Value::Null);
                    object.insert(resource.id_field.clone(), id);
                }
                return Ok(json_response(op.status, &canned));
            }
            Ok(respond(op.status, &op.content_type, op.canned.clone()))
        }
        Role::List => {
            let items = store.items.entry(key).or_default();
            Ok(list_page(resource, op, items, query))
        }
    }
}

/// One page of `items`: after the cursor, at most `limit`, with the response's
/// `has_more`/`first_id`/`last_id` fields set.
fn list_page(
    resource: &ResourceModel,
    op: &OperationModel,
    items: &[Value],
    query: &[(String, String)],
) -> Response {
    let Some(list) = &resource.list else {
        return json_response(op.status, &Value::Array(items.to_vec()));
    };
    let param = |name: &Option<String>| {
        let name = name.as_deref()?;
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let start = match param(&list.cursor_param) {
        Some(after) => items
            .iter()
            .position(|item| id_text(item.get(&resource.id_field)) == after)
            .map_or(items.len(), |index| index + 1),
        None => 0,
    };
    let limit = match &list.limit_param {
        Some(_) => param(&list.limit_param)
            .and_then(|value| value.parse::<usize>().ok())
            .unwrap_or(20),
        None => usize::MAX,
    };
    let rest = &items[start..];
    let page: Vec<Value> = rest.iter().take(limit).cloned().collect();
    let has_more = rest.len() > page.len();
    let Some(items_field) = &list.items_field else {
        return json_response(op.status, &Value::Array(page));
    };
    let mut body = match serde_json::from_str::<Value>(&op.canned) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    };
    let id_of = |item: Option<&Value>| {
        item.and_then(|item| item.get(&resource.id_field))
            .cloned()
            .unwrap_or(Value::Null)
    };
    for (field, value) in [
        (&list.has_more_field, Value::Bool(has_more)),
        (&list.first_id_field, id_of(page.first())),
        (&list.last_id_field, id_of(page.last())),
    ] {
        if let Some(field) = field {
            body.insert(field.clone(), value);
        }
    }
    body.insert(items_field.clone(), Value::Array(page));
    json_response(op.status, &Value::Object(body))
}

/// A new item: the template, the posted fields over it, then what the server sets.
fn new_item(resource: &ResourceModel, store: &mut Store, posted: &Value) -> Value {
    let mut item = resource.template.clone();
    if let Value::Object(posted) = posted {
        for (name, value) in posted {
            if keeps_field(resource, name) {
                item.insert(name.clone(), value.clone());
            }
        }
    }
    for (name, value) in &resource.constants {
        item.insert(name.clone(), value.clone());
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // The creation time is now; other times in the example (`expires_at`) keep their
    // distance from the example's creation time, so an invite never expires before it is
    // sent. Posted values win.
    let created = resource
        .timestamps
        .first()
        .filter(|name| matches!(name.as_str(), "created_at" | "created"));
    let shift = created
        .and_then(|name| resource.template.get(name.as_str()))
        .and_then(Value::as_i64)
        .map_or(0, |example| now as i64 - example);
    for name in &resource.timestamps {
        if posted.get(name).is_some_and(|value| !value.is_null()) {
            continue;
        }
        if Some(name) == created {
            item.insert(name.clone(), Value::from(now));
        } else if let Some(example) = item.get(name).and_then(Value::as_i64) {
            item.insert(name.clone(), Value::from(example + shift));
        }
    }
    if posted.get(&resource.id_field).is_none_or(Value::is_null) {
        store.next_id += 1;
        let id = if resource.numeric_id {
            Value::from(store.next_id)
        } else {
            Value::String(format!("{}{}", resource.id_prefix, store.next_id))
        };
        item.insert(resource.id_field.clone(), id);
    }
    Value::Object(item)
}

fn keeps_field(resource: &ResourceModel, name: &str) -> bool {
    resource
        .fields
        .as_ref()
        .is_none_or(|fields| fields.iter().any(|field| field == name))
}

/// An id as path text: strings as they are, numbers in decimal.
fn id_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Routing.

fn split_path(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// The path parameters when `segments` (a request's) fit `pattern` (an operation's).
/// Which segments of a path pattern hold a parameter, first segment first: the sort key
/// that puts literal routes before templated ones.
fn templated_segments(pattern: &[Vec<Piece>]) -> Vec<bool> {
    pattern
        .iter()
        .map(|pieces| pieces.iter().any(|piece| matches!(piece, Piece::Param(_))))
        .collect()
}

/// How many query and header parameters an operation requires.
fn required_query_and_headers(op: &OperationModel) -> usize {
    op.params
        .iter()
        .filter(|param| param.required && !matches!(param.location, Location::Path))
        .count()
}

fn match_segments(pattern: &[Vec<Piece>], segments: &[String]) -> Option<Vec<(String, String)>> {
    if pattern.len() != segments.len() {
        return None;
    }
    let mut values = Vec::new();
    for (pieces, segment) in pattern.iter().zip(segments) {
        if !match_pieces(pieces, segment, &mut values) {
            return None;
        }
    }
    Some(values)
}

/// Matches one segment: literal text exactly, a parameter as the shortest non-empty text
/// before the next literal (`{Sid}.json`), trying longer text when the rest fails.
fn match_pieces(pieces: &[Piece], text: &str, values: &mut Vec<(String, String)>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(literal), rest)) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|tail| match_pieces(rest, tail, values)),
        Some((Piece::Param(name), rest)) => {
            let ends: Vec<usize> = text
                .char_indices()
                .map(|(index, _)| index)
                .skip(1)
                .chain(std::iter::once(text.len()))
                .collect();
            for end in ends {
                if end == 0 {
                    continue;
                }
                let mark = values.len();
                values.push((name.clone(), text[..end].to_string()));
                if match_pieces(rest, &text[end..], values) {
                    return true;
                }
                values.truncate(mark);
            }
            false
        }
    }
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|query| query.0)
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Validation: strict like the server, where the client is lenient.

fn validate(
    model: &Model,
    op: &OperationModel,
    path: &[(String, String)],
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(), Response> {
    let auth_query = match &model.auth {
        AuthModel::Query(name) => Some(name.as_str()),
        _ => None,
    };
    for (name, _) in query {
        let known = Some(name.as_str()) == auth_query
            || op.query_key.as_ref().is_some_and(|(key, _)| key == name)
            || op.params.iter().any(|param| {
                matches!(param.location, Location::Query)
                    && (param.name == *name || param.deep_object && is_deep_key(param, name))
            });
        if !known {
            return Err(bad_parameter(
                name,
                format!("Unrecognized request argument supplied: {name}"),
            ));
        }
    }
    for param in &op.params {
        if param.deep_object && matches!(param.location, Location::Query) {
            check_deep_object(model, param, query)?;
            continue;
        }
        let raw: Vec<String> = match param.location {
            Location::Path => path
                .iter()
                .filter(|(key, _)| *key == param.name)
                .map(|(_, value)| value.clone())
                .collect(),
            Location::Query => query
                .iter()
                .filter(|(key, _)| *key == param.name)
                .map(|(_, value)| value.clone())
                .collect(),
            Location::Header => headers
                .get_all(param.name.to_ascii_lowercase().as_str())
                .iter()
                .filter_map(|value| value.to_str().ok())
                .map(str::to_string)
                .collect(),
        };
        if raw.is_empty() {
            if param.required {
                return Err(bad_parameter(
                    &param.name,
                    format!("Missing required parameter: '{}'.", param.name),
                ));
            }
            continue;
        }
        let (scalar, values): (&Ty, Vec<&str>) = match resolve(model, &param.ty) {
            Ty::Array(item) => (
                resolve(model, item),
                match &param.separator {
                    Some(separator) => raw
                        .iter()
                        .flat_map(|value| value.split(separator.as_str()))
                        .collect(),
                    None => raw.iter().map(String::as_str).collect(),
                },
            ),
            other => (other, raw.iter().map(String::as_str).collect()),
        };
        for value in values {
            check_param_value(model, param, scalar, value)?;
        }
    }
    if let Some(body_model) = &op.body {
        if body.is_empty() {
            if body_model.required {
                return Err(error_response(
                    400,
                    String::from("A request body is required."),
                    None,
                    "missing_body",
                ));
            }
        } else if let Some(ty) = &body_model.json {
            let value: Value = serde_json::from_slice(body).map_err(|error| {
                error_response(
                    400,
                    format!("The body is not valid JSON: {error}"),
                    None,
                    "invalid_json",
                )
            })?;
            check_value(model, ty, &value, "", 0)
                .map_err(|(param, message)| bad_parameter(&param, message))?;
        }
    }
    Ok(())
}

/// Whether a query key belongs to a `deepObject` parameter: its name, then brackets.
fn is_deep_key(param: &ParamModel, key: &str) -> bool {
    key.strip_prefix(param.name.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
}

/// More brackets than any real parameter nests; a hostile key cannot make parsing deep.
const MAX_DEEP_KEY_SEGMENTS: usize = 32;

/// A `deepObject` parameter read back from its pairs, as strings, before its type says
/// what each one means.
#[derive(Debug, PartialEq)]
enum DeepNode {
    Text(String),
    Fields(Vec<(String, DeepNode)>),
    Items(Vec<DeepNode>),
}

/// Parses the pairs of a `deepObject` parameter into a value and checks it against the
/// parameter's type like a JSON body: unknown fields, malformed keys, wrong types, missing
/// required fields and values outside closed enums are 400s naming the key.
fn check_deep_object(
    model: &Model,
    param: &ParamModel,
    query: &[(String, String)],
) -> Result<(), Response> {
    let name = &param.name;
    let mut root: Option<DeepNode> = None;
    for (key, value) in query.iter().filter(|(key, _)| is_deep_key(param, key)) {
        let segments = deep_key_segments(&key[name.len()..])
            .ok_or_else(|| bad_parameter(key, format!("Invalid bracket notation in '{key}'.")))?;
        insert_deep(&mut root, &segments, value.clone()).map_err(|()| {
            bad_parameter(
                key,
                format!("'{key}' conflicts with another value of '{name}'."),
            )
        })?;
    }
    let Some(root) = root else {
        if param.required {
            return Err(bad_parameter(
                name,
                format!("Missing required parameter: '{name}'."),
            ));
        }
        return Ok(());
    };
    let value = deep_value(model, &param.ty, &root, name, 0)
        .map_err(|(at, message)| bad_parameter(&at, message))?;
    check_value(model, &param.ty, &value, name, 0)
        .map_err(|(at, message)| bad_parameter(&at, message))
}

/// `[a][b][]` → `["a", "b", ""]`; `None` for text outside brackets, brackets inside a
/// segment or too many segments.
fn deep_key_segments(mut rest: &str) -> Option<Vec<&str>> {
    let mut segments = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        let segment = &inner[..close];
        if segment.contains('[') || segments.len() == MAX_DEEP_KEY_SEGMENTS {
            return None;
        }
        segments.push(segment);
        rest = &inner[close + 1..];
    }
    Some(segments)
}

/// Places one value at its path; `Err` when the path contradicts what is there already
/// (`a=1&a[b]=2`, a repeated scalar, `[]` followed by more brackets). Recursion is bounded
/// by [`MAX_DEEP_KEY_SEGMENTS`].
fn insert_deep(slot: &mut Option<DeepNode>, segments: &[&str], value: String) -> Result<(), ()> {
    let Some((first, rest)) = segments.split_first() else {
        return match slot {
            None => {
                *slot = Some(DeepNode::Text(value));
                Ok(())
            }
            Some(_) => Err(()),
        };
    };
    if first.is_empty() {
        return match (
            rest,
            slot.get_or_insert_with(|| DeepNode::Items(Vec::new())),
        ) {
            ([], DeepNode::Items(items)) => {
                items.push(DeepNode::Text(value));
                Ok(())
            }
            _ => Err(()),
        };
    }
    let DeepNode::Fields(fields) = slot.get_or_insert_with(|| DeepNode::Fields(Vec::new())) else {
        return Err(());
    };
    match fields.iter_mut().find(|(key, _)| key == first) {
        Some((_, node)) => {
            let mut child = Some(std::mem::replace(node, DeepNode::Items(Vec::new())));
            let result = insert_deep(&mut child, rest, value);
            if let Some(child) = child {
                *node = child;
            }
            result
        }
        None => {
            let mut child = None;
            insert_deep(&mut child, rest, value)?;
            fields.extend(child.map(|child| (first.to_string(), child)));
            Ok(())
        }
    }
}

/// The JSON value a parsed `deepObject` stands for under `ty`: texts become numbers and
/// booleans where the type says so, `[0]`-numbered fields become arrays; a field the type
/// does not have is an error, as in the real API.
fn deep_value(
    model: &Model,
    ty: &Ty,
    node: &DeepNode,
    at: &str,
    depth: usize,
) -> Result<Value, Invalid> {
    let wrong = |expected: &str| {
        Err((
            at.to_string(),
            format!("Invalid type for '{at}': expected {expected}."),
        ))
    };
    if depth > 64 {
        return wrong("less nesting");
    }
    let ty = resolve(model, ty);
    match (ty, node) {
        (Ty::Nullable(inner), _) => deep_value(model, inner, node, at, depth + 1),
        (Ty::Json, _) => Ok(untyped_deep_value(node)),
        (Ty::String | Ty::Bytes, DeepNode::Text(text)) => Ok(Value::String(text.clone())),
        (Ty::Integer, DeepNode::Text(text)) => match text.parse::<i64>() {
            Ok(number) => Ok(Value::from(number)),
            Err(_) => text
                .parse::<u64>()
                .map(Value::from)
                .or_else(|_| wrong("an integer")),
        },
        (Ty::Number, DeepNode::Text(text)) => {
            match text.parse::<f64>().ok().filter(|n| n.is_finite()) {
                Some(number) => Ok(Value::from(number)),
                None => wrong("a number"),
            }
        }
        (Ty::Boolean, DeepNode::Text(text)) => match text.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => wrong("a boolean"),
        },
        (Ty::Array(item), DeepNode::Items(items)) => items
            .iter()
            .enumerate()
            .map(|(index, element)| {
                deep_value(model, item, element, &format!("{at}[{index}]"), depth + 1)
            })
            .collect(),
        (Ty::Array(item), DeepNode::Fields(fields)) => {
            // `name[0][key]=v`: numbered fields, in any order, none missing.
            let mut numbered: Vec<(usize, &DeepNode)> = Vec::new();
            for (key, element) in fields {
                match key.parse::<usize>() {
                    Ok(index) if key == &index.to_string() => numbered.push((index, element)),
                    _ => return wrong("an array"),
                }
            }
            numbered.sort_by_key(|(index, _)| *index);
            if numbered
                .iter()
                .enumerate()
                .any(|(position, (index, _))| position != *index)
            {
                return wrong("an array numbered from 0");
            }
            numbered
                .into_iter()
                .map(|(index, element)| {
                    deep_value(model, item, element, &format!("{at}[{index}]"), depth + 1)
                })
                .collect()
        }
        (Ty::Map(item), DeepNode::Fields(fields)) => fields
            .iter()
            .map(|(key, element)| {
                let value = deep_value(model, item, element, &format!("{at}[{key}]"), depth + 1)?;
                Ok((key.clone(), value))
            })
            .collect::<Result<Map<String, Value>, Invalid>>()
            .map(Value::Object),
        (Ty::Named(index), _) => match model.types.get(*index) {
            None => Ok(untyped_deep_value(node)),
            Some(Shape::Alias(target)) => deep_value(model, target, node, at, depth + 1),
            Some(Shape::Const(_)) => match node {
                DeepNode::Text(text) => Ok(Value::String(text.clone())),
                _ => wrong("a string"),
            },
            Some(Shape::Enum(values)) => match node {
                // The enum says whether `1` is a number or a string.
                DeepNode::Text(text) => Ok(text
                    .parse::<i64>()
                    .ok()
                    .map(Value::from)
                    .filter(|number| values.contains(number))
                    .unwrap_or_else(|| Value::String(text.clone()))),
                _ => wrong("a single value"),
            },
            Some(Shape::Struct { fields }) => {
                let DeepNode::Fields(given) = node else {
                    return wrong("an object");
                };
                let mut object = Map::new();
                for (key, element) in given {
                    let here = format!("{at}[{key}]");
                    let Some(field) = fields.iter().find(|field| field.name == *key) else {
                        return Err((
                            here.clone(),
                            format!("Unrecognized request argument supplied: {here}"),
                        ));
                    };
                    object.insert(
                        key.clone(),
                        deep_value(model, &field.ty, element, &here, depth + 1)?,
                    );
                }
                Ok(Value::Object(object))
            }
            Some(Shape::Union { variants, .. }) => {
                // The first variant the pairs fit (Stripe's `created`: a range or a number).
                let mut first_error = None;
                for variant in variants {
                    match deep_value(model, &variant.ty, node, at, depth + 1).and_then(|value| {
                        check_value(model, &variant.ty, &value, at, depth + 1).map(|()| value)
                    }) {
                        Ok(value) => return Ok(value),
                        Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                Err(first_error
                    .unwrap_or_else(|| (at.to_string(), String::from("no variant fits"))))
            }
        },
        (Ty::String | Ty::Bytes | Ty::Integer | Ty::Number | Ty::Boolean, _) => {
            wrong("a single value")
        }
        (Ty::Array(_), DeepNode::Text(_)) => wrong("an array"),
        (Ty::Map(_), _) => wrong("an object"),
    }
}

/// A parsed `deepObject` with no type to follow: texts stay texts.
fn untyped_deep_value(node: &DeepNode) -> Value {
    match node {
        DeepNode::Text(text) => Value::String(text.clone()),
        DeepNode::Items(items) => Value::Array(items.iter().map(untyped_deep_value).collect()),
        DeepNode::Fields(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, element)| (key.clone(), untyped_deep_value(element)))
                .collect(),
        ),
    }
}

/// Follows aliases (bounded, since the generator already refused alias cycles).
fn resolve<'m>(model: &'m Model, ty: &'m Ty) -> &'m Ty {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            Ty::Named(index) => match model.types.get(*index) {
                Some(Shape::Alias(target)) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

fn check_param_value(
    model: &Model,
    param: &ParamModel,
    ty: &Ty,
    raw: &str,
) -> Result<(), Response> {
    let name = &param.name;
    let invalid = || bad_parameter(name, format!("Invalid value for '{name}': {raw:?}."));
    let number = match ty {
        Ty::Integer => Some(raw.parse::<i128>().map_err(|_| invalid())? as f64),
        Ty::Number => Some(raw.parse::<f64>().map_err(|_| invalid())?),
        Ty::Boolean => {
            raw.parse::<bool>().map_err(|_| invalid())?;
            None
        }
        Ty::Named(_) => {
            check_value(model, ty, &Value::String(raw.to_string()), name, 0)
                .or_else(|_| match raw.parse::<i64>() {
                    Ok(number) => check_value(model, ty, &Value::from(number), name, 0),
                    Err(_) => Err((name.clone(), String::new())),
                })
                .map_err(|_| invalid())?;
            None
        }
        _ => None,
    };
    if let Some(number) = number {
        if param.minimum.is_some_and(|minimum| number < minimum)
            || param.maximum.is_some_and(|maximum| number > maximum)
        {
            return Err(bad_parameter(
                name,
                format!("Invalid value for '{name}': {raw} is out of range."),
            ));
        }
    }
    let length = raw.chars().count();
    if param.min_length.is_some_and(|minimum| length < minimum)
        || param.max_length.is_some_and(|maximum| length > maximum)
    {
        return Err(bad_parameter(
            name,
            format!("Invalid value for '{name}': {raw:?} has the wrong length."),
        ));
    }
    Ok(())
}

/// Where a value fails its type: the dotted path of the field and a message.
type Invalid = (String, String);

fn check_value(
    model: &Model,
    ty: &Ty,
    value: &Value,
    at: &str,
    depth: usize,
) -> Result<(), Invalid> {
    // Deeper than any real request; stops a self-referencing type on a hostile body.
    if depth > 64 {
        return Ok(());
    }
    let wrong = |expected: &str| {
        Err((
            at.to_string(),
            format!("Invalid type for '{at}': expected {expected}, but got {value}."),
        ))
    };
    match ty {
        Ty::Json | Ty::Bytes => Ok(()),
        Ty::Nullable(inner) => {
            if value.is_null() {
                Ok(())
            } else {
                check_value(model, inner, value, at, depth + 1)
            }
        }
        Ty::String => {
            if value.is_string() {
                Ok(())
            } else {
                wrong("a string")
            }
        }
        Ty::Integer => {
            if value.is_i64() || value.is_u64() {
                Ok(())
            } else {
                wrong("an integer")
            }
        }
        Ty::Number => {
            if value.is_number() {
                Ok(())
            } else {
                wrong("a number")
            }
        }
        Ty::Boolean => {
            if value.is_boolean() {
                Ok(())
            } else {
                wrong("a boolean")
            }
        }
        Ty::Array(item) => match value {
            Value::Array(items) => items.iter().enumerate().try_for_each(|(index, element)| {
                check_value(model, item, element, &format!("{at}[{index}]"), depth + 1)
            }),
            _ => wrong("an array"),
        },
        Ty::Map(item) => match value {
            Value::Object(entries) => entries.iter().try_for_each(|(key, element)| {
                check_value(model, item, element, &join(at, key), depth + 1)
            }),
            _ => wrong("an object"),
        },
        Ty::Named(index) => match model.types.get(*index) {
            None => Ok(()),
            Some(Shape::Alias(target)) => check_value(model, target, value, at, depth + 1),
            Some(Shape::Const(constant)) => {
                if value.as_str() == Some(constant.as_str()) {
                    Ok(())
                } else {
                    wrong(&format!("'{constant}'"))
                }
            }
            Some(Shape::Enum(values)) => {
                if values.contains(value) {
                    Ok(())
                } else {
                    let allowed: Vec<String> = values.iter().map(Value::to_string).collect();
                    Err((
                        at.to_string(),
                        format!(
                            "Invalid value for '{at}': {value} is not one of {}.",
                            allowed.join(", ")
                        ),
                    ))
                }
            }
            Some(Shape::Struct { fields }) => {
                let Value::Object(object) = value else {
                    return wrong("an object");
                };
                for field in fields {
                    let here = join(at, &field.name);
                    match object.get(&field.name) {
                        None if field.required && !field.read_only => {
                            return Err((
                                here.clone(),
                                format!("Missing required parameter: '{here}'."),
                            ));
                        }
                        None => {}
                        Some(Value::Null) if field.nullable || !field.required => {}
                        Some(element) => check_value(model, &field.ty, element, &here, depth + 1)?,
                    }
                }
                Ok(())
            }
            Some(Shape::Union { variants, tag }) => {
                if let Some(tag) = tag {
                    let tag_value = object_tag(value, tag);
                    let chosen: Vec<&VariantModel> = variants
                        .iter()
                        .filter(|variant| {
                            tag_value
                                .is_some_and(|name| variant.tag_values.iter().any(|v| v == name))
                        })
                        .collect();
                    if let Some(variant) = chosen.first() {
                        return check_value(model, &variant.ty, value, at, depth + 1);
                    }
                    let here = join(at, tag);
                    return Err((
                        here.clone(),
                        format!(
                            "Invalid value for '{here}': {:?} names no variant.",
                            tag_value
                        ),
                    ));
                }
                let mut first_error = None;
                for variant in variants {
                    match check_value(model, &variant.ty, value, at, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                Err(first_error
                    .unwrap_or_else(|| (at.to_string(), String::from("no variant fits"))))
            }
        },
    }
}

fn object_tag<'v>(value: &'v Value, tag: &str) -> Option<&'v str> {
    value.get(tag).and_then(Value::as_str)
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

// ---------------------------------------------------------------------------------------
// Responses.

/// An error response in the API's error shape.
fn error_response(status: u16, message: String, param: Option<&str>, code: &str) -> Response {
    let body = serde_json::json!({
        "error": { "message": message, "type": "invalid_request_error", "param": param, "code": code }
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("req_mock"));
    response
}

/// 400 naming the parameter.
fn bad_parameter(name: &str, message: String) -> Response {
    error_response(400, message, Some(name), "invalid_value")
}

fn json_response(status: u16, value: &Value) -> Response {
    respond(status, "application/json", value.to_string())
}

fn respond(status: u16, content_type: &str, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        if !content_type.is_empty() {
            response
                .headers_mut()
                .insert(axum::http::header::CONTENT_TYPE, value);
        }
    }
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("req_mock"));
    response
}

/// For the generated test that calls every operation once: each call must reach its
/// operation (the `x-mock-operation` header names it) and get an answer that is not a 5xx.
#[cfg(test)]
pub(crate) async fn assert_every_operation_is_reached(calls: &str) {
    #[derive(Deserialize)]
    struct Call {
        /// The operations the call may reach: itself, or a twin the wire cannot tell apart.
        operations: Vec<String>,
        method: String,
        path: String,
        query: Vec<(String, String)>,
        /// `deepObject` parameters as values, written by the client's own serializer.
        #[serde(default)]
        deep_query: Vec<(String, Value)>,
        headers: Vec<(String, String)>,
        body: Option<String>,
        content_type: Option<String>,
    }
    let calls: Vec<Call> = serde_json::from_str(calls).expect("the generated calls are JSON");
    let server = MockServer::start().await.expect("the mock starts");
    crate::client::install_tls_provider();
    let client = reqwest::Client::new();
    let mut failures = Vec::new();
    for call in &calls {
        let mut query = call.query.clone();
        for (name, value) in &call.deep_query {
            let mut pairs = Vec::new();
            crate::request::deep_object_pairs(name, value, &mut pairs)
                .expect("the sample of a deepObject parameter has plain keys");
            query.extend(
                pairs
                    .into_iter()
                    .map(|(key, text)| (key.into_owned(), text)),
            );
        }
        if let AuthModel::Query(name) = &server.state.model.auth {
            query.push((name.clone(), MOCK_API_KEY.to_string()));
        }
        let encode = |text: &str| {
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        };
        let query: Vec<String> = query
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect();
        let separator = if query.is_empty() { "" } else { "?" };
        let url = format!(
            "{}{}{separator}{}",
            server.base_url(),
            call.path,
            query.join("&")
        );
        let method = reqwest::Method::from_bytes(call.method.as_bytes()).expect("a method");
        let mut request = client.request(method, url);
        request = match &server.state.model.auth {
            AuthModel::None | AuthModel::Query(_) => request,
            AuthModel::Bearer => request.bearer_auth(MOCK_API_KEY),
            AuthModel::Basic => request.header(
                "authorization",
                format!("Basic {}", crate::client::base64(MOCK_API_KEY.as_bytes())),
            ),
            AuthModel::Header(name) => request.header(name.as_str(), MOCK_API_KEY),
        };
        for (name, value) in &call.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &call.body {
            request = request.body(body.clone());
        }
        if let Some(content_type) = &call.content_type {
            request = request.header("content-type", content_type.as_str());
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let reached = response
                    .headers()
                    .get("x-mock-operation")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                // Variants of one route (`#fragment` operations) whose requests look alike
                // cannot be told apart on the wire: reaching another variant is right when
                // it accepts this very request and the router prefers it by its rule.
                let accepted = call.operations.contains(&reached)
                    || lock(&server.state.requests).last().is_some_and(|request| {
                        server
                            .state
                            .indistinguishable_variant(&reached, &call.operations, request)
                    });
                if !accepted || status >= 500 {
                    let body = response.text().await.unwrap_or_default();
                    failures.push(format!(
                        "{} {}: reached {reached:?} with {status}, expected {:?}: {body}",
                        call.method, call.path, call.operations
                    ));
                }
            }
            Err(error) => failures.push(format!("{} {}: {error}", call.method, call.path)),
        }
    }
    server.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!calls.is_empty() || crate::mock::MODEL.contains("\"operations\":[]"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &[(&str, bool)]) -> Vec<Piece> {
        text.iter()
            .map(|(text, param)| {
                if *param {
                    Piece::Param(text.to_string())
                } else {
                    Piece::Literal(text.to_string())
                }
            })
            .collect()
    }

    #[test]
    fn a_parameter_followed_by_literal_text_matches_the_suffix() {
        let pattern = vec![
            pieces(&[("Accounts", false)]),
            pieces(&[("Sid", true), (".json", false)]),
        ];
        let values = match_segments(&pattern, &split_path("/Accounts/AC1.2.json"));
        assert_eq!(values, Some(vec![("Sid".to_string(), "AC1.2".to_string())]));
        assert_eq!(match_segments(&pattern, &split_path("/Accounts/AC1")), None);
        assert_eq!(
            match_segments(&pattern, &split_path("/Accounts/.json")),
            None
        );
    }

    #[test]
    fn basic_credentials_are_base64_of_the_key() {
        assert_eq!(crate::client::base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(crate::client::base64(b"ab"), "YWI=");
    }

    /// A model with one operation whose `filter` query parameter is a `deepObject`.
    fn deep_model() -> Model {
        serde_json::from_value(serde_json::json!({
            "auth": "none",
            "types": [
                {"struct": {"fields": [
                    {"name": "gte", "ty": "integer", "required": false, "nullable": false, "read_only": false},
                    {"name": "status", "ty": {"named": 1}, "required": true, "nullable": false, "read_only": false},
                    {"name": "card", "ty": {"named": 2}, "required": false, "nullable": false, "read_only": false},
                    {"name": "tags", "ty": {"array": "string"}, "required": false, "nullable": false, "read_only": false},
                    {"name": "live", "ty": "boolean", "required": false, "nullable": false, "read_only": false},
                    {"name": "lines", "ty": {"array": {"named": 2}}, "required": false, "nullable": false, "read_only": false},
                ]}},
                {"enum": ["paid", "open"]},
                {"struct": {"fields": [
                    {"name": "brand", "ty": "string", "required": true, "nullable": false, "read_only": false},
                    {"name": "meta", "ty": {"map": "number"}, "required": false, "nullable": false, "read_only": false},
                ]}},
            ],
            "operations": [{
                "name": "list", "method": "GET", "segments": [[{"literal": "charges"}]],
                "query_key": null, "body": null, "status": 200, "content_type": "application/json",
                "canned": "{}", "role": null,
                "params": [
                    {"name": "filter", "location": "query", "required": true, "ty": {"named": 0},
                     "separator": null, "minimum": null, "maximum": null, "min_length": null,
                     "max_length": null, "deep_object": true},
                    {"name": "expand", "location": "query", "required": false, "ty": {"array": "string"},
                     "separator": null, "minimum": null, "maximum": null, "min_length": null,
                     "max_length": null, "deep_object": true},
                ],
            }],
            "resources": [],
        }))
        .expect("the test model is valid")
    }

    /// The status the mock answers a query with, `None` when it passes validation.
    fn deep_status(query: &[(&str, &str)]) -> Option<u16> {
        let model = deep_model();
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        validate(
            &model,
            &model.operations[0],
            &[],
            &query,
            &HeaderMap::new(),
            &Bytes::new(),
        )
        .err()
        .map(|response| response.status().as_u16())
    }

    #[test]
    fn deep_object_parameters_are_parsed_back_and_accepted() {
        assert_eq!(deep_status(&[("filter[status]", "paid")]), None);
        assert_eq!(
            deep_status(&[
                ("filter[gte]", "-3"),
                ("filter[status]", "open"),
                ("filter[card][brand]", "visa"),
                ("filter[card][meta][a b]", "2.5"),
                ("filter[tags][]", "x"),
                ("filter[tags][]", "y"),
                ("filter[live]", "true"),
                ("filter[lines][1][brand]", "b"),
                ("filter[lines][0][brand]", "a"),
                ("expand[]", "customer"),
                ("expand[]", "invoice"),
            ]),
            None
        );
    }

    #[test]
    fn deep_object_parameters_are_as_strict_as_a_json_body() {
        for query in [
            // Missing: the required parameter, then its required field.
            &[][..],
            &[("filter[gte]", "1")],
            // An unknown field, at the top and nested.
            &[("filter[status]", "paid"), ("filter[gt]", "1")],
            &[
                ("filter[status]", "paid"),
                ("filter[card][brand]", "v"),
                ("filter[card][x]", "1"),
            ],
            // Wrong types and closed enums.
            &[("filter[status]", "paid"), ("filter[gte]", "soon")],
            &[("filter[status]", "paid"), ("filter[live]", "1")],
            &[("filter[status]", "void")],
            &[("filter[status]", "paid"), ("filter[card]", "visa")],
            &[("filter[status]", "paid"), ("filter[tags]", "x")],
            &[("filter[status]", "paid"), ("filter[card][meta][k]", "NaN")],
            // Arrays numbered with a gap, and malformed or conflicting keys.
            &[("filter[status]", "paid"), ("filter[lines][1][brand]", "b")],
            &[("filter[status]", "paid"), ("filter[tags][][x]", "1")],
            &[("filter[status]", "paid"), ("filter[gte", "1")],
            &[("filter[status]", "paid"), ("filter[gte]x", "1")],
            &[("filter[status]", "paid"), ("filter[a[b]]", "1")],
            &[("filter[status]", "paid"), ("filter[status]", "open")],
            &[("filter", "x"), ("filter[status]", "paid")],
            &[("filter[status]", "paid"), ("expand", "customer")],
            &[("filter[status]", "paid"), ("other[x]", "1")],
        ] {
            assert_eq!(deep_status(query), Some(400), "{query:?}");
        }
        let deep_key = format!("filter{}", "[a]".repeat(MAX_DEEP_KEY_SEGMENTS + 1));
        assert_eq!(
            deep_status(&[("filter[status]", "paid"), (&deep_key, "1")]),
            Some(400)
        );
    }

    #[test]
    fn deep_keys_split_into_segments() {
        assert_eq!(deep_key_segments("[a][b c][]"), Some(vec!["a", "b c", ""]));
        assert_eq!(deep_key_segments(""), Some(vec![]));
        assert_eq!(deep_key_segments("[a]]"), None);
        assert_eq!(deep_key_segments("a"), None);
    }
}
