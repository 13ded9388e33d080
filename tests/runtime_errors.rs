//! What the generated client's errors carry: API error bodies, request ids, decode errors with
//! serde path and snippet, forward-compatible enums, configuration errors, and the API key
//! absent from every `Debug` and `Display` string.

mod common;

use std::time::Duration;

use common::{
    KEY, assert_no_key, client_for, closed_port_url, everything_printed, invite, invite_json,
    request_count, status, then_always,
};
use openai_invites::client::AuthScheme;
use openai_invites::models::{InviteRole, InviteStatus, ProjectRole};
use openai_invites::{Client, Error, RequestOptions};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// API errors

#[tokio::test]
async fn api_error_body_is_parsed_and_request_id_surfaced() {
    let server = MockServer::start().await;
    then_always(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req_123")
            .set_body_json(serde_json::json!({
                "error": { "message": "No such invite", "type": "invalid_request_error",
                           "param": null, "code": 4041 }
            })),
    )
    .await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("404");

    assert_eq!(
        error.to_string(),
        "404 Not Found: No such invite (request id req_123)"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.request_id(), Some("req_123"));
    assert!(error.is_not_found() && !error.is_retryable());
    let api = error.as_api_error().expect("api error");
    assert_eq!(api.request_id(), Some("req_123"));
    let body = api.body().expect("parsed body");
    assert_eq!(body.message, "No such invite");
    assert_eq!(body.r#type.as_deref(), Some("invalid_request_error"));
    assert_eq!(body.param, None);
    assert_eq!(
        body.code.as_deref(),
        Some("4041"),
        "numeric code kept as text"
    );
    assert!(api.raw_body().contains("No such invite"));
    assert_eq!(api.headers()["x-request-id"], "req_123");
    assert_eq!(request_count(&server).await, 1, "404 is not retried");
}

#[tokio::test]
async fn api_error_without_json_body_shows_the_raw_text() {
    let server = MockServer::start().await;
    then_always(
        &server,
        ResponseTemplate::new(403).set_body_string("forbidden by proxy"),
    )
    .await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("403");

    assert!(error.is_permission_denied());
    assert!(error.as_api_error().and_then(|e| e.body()).is_none());
    assert_eq!(error.request_id(), None);
    assert_eq!(error.to_string(), "403 Forbidden: forbidden by proxy");
}

#[tokio::test]
async fn status_helpers_match_their_statuses() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    type Predicate = fn(&Error) -> bool;
    let helpers: [(&str, Predicate); 6] = [
        ("not_found", Error::is_not_found),
        ("unauthorized", Error::is_unauthorized),
        ("permission_denied", Error::is_permission_denied),
        ("conflict", Error::is_conflict),
        ("rate_limited", Error::is_rate_limited),
        ("server_error", Error::is_server_error),
    ];
    let cases = [
        (404, "not_found"),
        (401, "unauthorized"),
        (403, "permission_denied"),
        (409, "conflict"),
        (429, "rate_limited"),
        (502, "server_error"),
    ];
    for (code, expected) in cases {
        server.reset().await;
        then_always(&server, status(code)).await;
        let error = client
            .retrieve_invite("inv_1")
            .max_retries(0)
            .await
            .expect_err("error status");
        for (name, predicate) in helpers {
            assert_eq!(predicate(&error), name == expected, "{code} {name}");
        }
        assert!(!error.is_timeout() && !error.is_connection());
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_path_snippet_and_request_id() {
    let server = MockServer::start().await;
    let mut bad = invite_json("b");
    bad["created_at"] = serde_json::json!("yesterday");
    let body = serde_json::json!({
        "object": "list",
        "data": [invite_json("a"), bad],
        "has_more": false,
    })
    .to_string();
    then_always(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req_dec")
            .set_body_raw(body.clone(), "application/json"),
    )
    .await;

    let error = client_for(&server.uri())
        .list_invites()
        .await
        .expect_err("a string is not a timestamp");

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.path(), "data[1].created_at");
    assert!(
        decode.message().contains("yesterday"),
        "{}",
        decode.message()
    );
    assert_eq!(decode.snippet(), body.chars().take(200).collect::<String>());
    assert_eq!(decode.status(), 200);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("req_dec"));
    assert!(error.to_string().contains("data[1].created_at"), "{error}");
    assert!(error.to_string().contains("req_dec"), "{error}");
    assert_eq!(
        request_count(&server).await,
        1,
        "decode errors are not retried"
    );
}

#[tokio::test]
async fn wrong_const_object_is_a_decode_error_at_that_field() {
    let server = MockServer::start().await;
    let mut body = invite_json("inv_1");
    body["object"] = serde_json::json!("organization.user");
    then_always(&server, ResponseTemplate::new(200).set_body_json(body)).await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("not an invite");

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.path(), "object");
    assert!(decode.message().contains("organization.user"), "{error}");
}

#[tokio::test]
async fn decode_snippet_is_truncated_on_a_char_boundary() {
    let server = MockServer::start().await;
    let body = format!("[\"{}\"]", "é".repeat(500));
    then_always(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("array is not an invite");

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.snippet().chars().count(), 200);
    assert!(decode.snippet().starts_with("[\"éé"));
}

#[tokio::test]
async fn truncated_and_trailing_garbage_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    let truncated = r#"{"object":"organization.invite","id":"inv_1","ema"#.to_owned();
    let trailing = format!("{} trailing", invite_json("inv_1"));
    let html = "<html><body>502 Bad Gateway</body></html>".to_owned();
    for body in [truncated, trailing, html] {
        server.reset().await;
        then_always(
            &server,
            ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
        )
        .await;
        let error = client
            .retrieve_invite("inv_1")
            .await
            .expect_err("not one JSON document");
        let Error::Decode(decode) = &error else {
            panic!("{body}: expected Error::Decode, got {error:?}")
        };
        assert_eq!(decode.snippet(), body);
    }
}

#[tokio::test]
async fn unknown_enum_values_and_fields_are_kept_not_rejected() {
    let server = MockServer::start().await;
    let mut body = invite_json("inv_1");
    body["status"] = serde_json::json!("revoked");
    body["role"] = serde_json::json!("billing_admin");
    body["projects"] = serde_json::json!([{ "id": "proj_1", "role": "viewer" }]);
    body["a_field_added_later"] = serde_json::json!({ "nested": [1, 2, 3] });
    then_always(&server, ResponseTemplate::new(200).set_body_json(body)).await;

    let invite = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("forward compatible");

    assert_eq!(invite.status, InviteStatus::Unknown("revoked".into()));
    assert_eq!(invite.status.as_str(), "revoked");
    assert_eq!(invite.role, InviteRole::Unknown("billing_admin".into()));
    let projects = invite.projects.expect("projects");
    assert_eq!(
        projects[0].role,
        Some(ProjectRole::Unknown("viewer".into()))
    );
    // Known values still map to their variants.
    assert_eq!(InviteStatus::from("pending"), InviteStatus::Pending);
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[test]
fn invalid_configuration_is_reported_by_build() {
    for base_url in [
        "not a url",
        "ftp://example.com",
        "https://example.com/v1?x=1",
        "https://example.com/v1#frag",
        "mailto:a@b",
    ] {
        let error = Client::builder()
            .api_key(KEY)
            .base_url(base_url)
            .build()
            .expect_err(base_url);
        assert!(matches!(error, Error::Config(_)), "{base_url}: {error:?}");
    }
    let error = Client::builder()
        .api_key(KEY)
        .default_header("bad name", "v")
        .build()
        .expect_err("bad header name");
    assert!(
        matches!(error, Error::Config(ref m) if m.contains("bad name")),
        "{error:?}"
    );
    let error = Client::builder()
        .api_key(KEY)
        .default_header("x-ok", "bad\r\nvalue")
        .build()
        .expect_err("bad header value");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::new("key\nwith newline").expect_err("unsendable key");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::new("").expect_err("empty key counts as missing");
    assert!(
        matches!(error, Error::Config(ref m) if m.contains("OPENAI_ADMIN_KEY")),
        "{error:?}"
    );
}

#[test]
fn defaults_are_used_when_nothing_is_set() {
    let client = Client::new(KEY).expect("client builds");
    assert_eq!(client.base_url(), "https://api.openai.com/v1");
    let debug = format!("{client:?}");
    assert!(
        debug.contains("timeout: 600s")
            && debug.contains("connect_timeout: Some(5s)")
            && debug.contains("max_retries: 2"),
        "{debug}"
    );
}

// ---------------------------------------------------------------------------------------------
// The key stays secret

#[test]
fn key_is_absent_from_client_and_builder_debug() {
    let builder = Client::builder()
        .api_key(KEY)
        .default_header("x-secret", KEY);
    let builder_debug = format!("{builder:?}");
    assert_no_key(&builder_debug);
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");
    assert!(builder_debug.contains("x-secret"), "{builder_debug}");

    let client = builder.build().expect("client builds");
    let client_debug = format!("{client:?} {client:#?}");
    assert_no_key(&client_debug);
    assert!(
        client_debug.contains("api_key: \"<redacted>\""),
        "{client_debug}"
    );
    // Callers put credentials in per-call headers too (a proxy's, or the key itself).
    let call = client
        .retrieve_invite("inv_1")
        .header("authorization", format!("Bearer {KEY}"))
        .header("x-proxy-token", KEY);
    let call_debug = format!("{call:?} {call:#?}");
    assert_no_key(&call_debug);
    assert!(call_debug.contains("x-proxy-token"), "{call_debug}");
    let options = RequestOptions::new().header("x-proxy-token", KEY);
    assert_no_key(&format!("{options:?}"));
}

/// Every error variant, with the key in a header (bearer) or in the URL (query
/// authentication), and in a header value that failed validation.
#[tokio::test]
async fn key_is_absent_from_every_error() {
    let server = MockServer::start().await;
    Mock::given(path("/organization/invites/api"))
        .respond_with(status(401).insert_header("x-request-id", "req_401"))
        .mount(&server)
        .await;
    Mock::given(path("/organization/invites/slow"))
        .respond_with(invite("slow").set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    Mock::given(path("/organization/invites/decode"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let mut errors = Vec::new();
    for scheme in [AuthScheme::Bearer, AuthScheme::ApiKeyQuery("api_key")] {
        let configured = |base_url: String| {
            Client::builder()
                .api_key(KEY)
                .auth_scheme(scheme)
                .base_url(base_url)
                .max_retries(0)
                .build()
                .expect("client builds")
        };
        let client = configured(server.uri());
        let unreachable = configured(closed_port_url().await);

        let api = client.retrieve_invite("api").await.expect_err("401");
        let timeout = client
            .retrieve_invite("slow")
            .timeout(Duration::from_millis(50))
            .await
            .expect_err("timeout");
        let connection = unreachable.retrieve_invite("x").await.expect_err("refused");
        let decode = client.retrieve_invite("decode").await.expect_err("decode");
        let invalid = client
            .retrieve_invite("x")
            .header("x-bad", format!("{KEY}\n"))
            .await
            .expect_err("invalid header");
        let limit = client.list_invites().limit(0).await.expect_err("limit");

        assert!(api.is_unauthorized(), "{api:?}");
        assert_eq!(api.request_id(), Some("req_401"));
        assert!(timeout.is_timeout(), "{timeout:?}");
        assert!(connection.is_connection(), "{connection:?}");
        assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
        assert!(matches!(invalid, Error::InvalidRequest(_)), "{invalid:?}");
        assert!(matches!(limit, Error::InvalidRequest(_)), "{limit:?}");
        errors.extend([api, timeout, connection, decode, invalid, limit]);
    }
    errors.push(Client::new(format!("{KEY}\n")).expect_err("bad key"));
    assert!(matches!(errors.last(), Some(Error::Config(_))));

    for error in &errors {
        assert_no_key(&everything_printed(error));
        assert_no_key(&format!("{error:#?}"));
    }
}
