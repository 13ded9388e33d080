//! The generated mock (`openai_invites::mock`) behaves like the API: invites are stored,
//! listed page by page, retrieved and deleted; bad requests get the server's 400s and a
//! wrong key a 401, in the API's error shape; tests can seed it, choose its key, read what
//! it received and make an operation fail the next N times.

use futures_util::StreamExt;
use openai_invites::mock::{Fault, MockServer};
use openai_invites::models::{InviteRequest, InviteRequestProject, InviteRole, ProjectRole};
use openai_invites::{Client, Error};
use serde_json::{Value, json};
use std::time::Duration;

async fn create(client: &Client, email: &str) -> openai_invites::models::Invite {
    client
        .invite_user(InviteRequest::new(email, InviteRole::Reader))
        .await
        .expect("create")
}

/// A raw request with the mock's key, for what the generated client would not send.
async fn raw(
    mock: &MockServer,
    method: &str,
    path_and_query: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    // The default `rustls-ring` feature leaves reqwest without a crypto provider of its own.
    openai_invites::client::install_tls_provider();
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path_and_query}", mock.base_url()))
        .header("authorization", format!("Bearer {}", mock.api_key()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn created_invites_are_stored_with_what_was_posted_and_server_set_fields() {
    let mock = MockServer::start().await.expect("start");
    let client = mock.client().expect("client");
    let request = InviteRequest::new("x@example.com", InviteRole::Owner).with_projects(vec![
        InviteRequestProject::new("proj_1", ProjectRole::Owner),
    ]);
    let first = client.invite_user(request).await.expect("create");
    let second = create(&client, "y@example.com").await;
    assert_eq!(first.email, "x@example.com");
    assert_eq!(first.role, InviteRole::Owner);
    assert_eq!(first.projects.as_ref().map(Vec::len), Some(1));
    assert_ne!(first.id, second.id, "each create gets a new id");
    assert!(first.id.starts_with("invite-"), "{}", first.id);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    assert!(
        (now - first.created_at.as_secs()).abs() < 60,
        "created_at is now"
    );

    let fetched = client.retrieve_invite(&second.id).await.expect("retrieve");
    assert_eq!(fetched.email, "y@example.com");
    assert_eq!(mock.items("/organization/invites").len(), 2);
}

#[tokio::test]
async fn list_pages_with_after_and_limit() {
    let mock = MockServer::start().await.expect("start");
    let client = mock.client().expect("client");
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(create(&client, &format!("u{n}@example.com")).await.id);
    }
    let page = client.list_invites().limit(2).send().await.expect("page 1");
    let page_ids: Vec<&str> = page.data.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(page_ids, [ids[0].as_str(), ids[1].as_str()]);
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.first_id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(page.last_id.as_deref(), Some(ids[1].as_str()));

    let last = client
        .list_invites()
        .limit(2)
        .after(&ids[3])
        .send()
        .await
        .expect("last page");
    assert_eq!(last.data.len(), 1);
    assert_eq!(last.data[0].id, ids[4]);
    assert_eq!(last.has_more, Some(false));

    let streamed: Vec<String> = client
        .list_invites()
        .limit(2)
        .stream()
        .map(|invite| invite.expect("item").id)
        .collect()
        .await;
    assert_eq!(
        streamed, ids,
        "the stream follows the cursor across three pages"
    );
    // Three pages, each one request.
    let lists = mock
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("list_invites"))
        .count();
    assert_eq!(lists, 2 + 3);
}

#[tokio::test]
async fn unknown_and_deleted_ids_are_404_and_a_second_delete_too() {
    let mock = MockServer::start().await.expect("start");
    let client = mock.client().expect("client");
    let invite = create(&client, "x@example.com").await;
    match client.retrieve_invite("invite-nope").await {
        Err(Error::Api(error)) => {
            assert!(error.status() == 404);
            let body = error.body().expect("the API's error shape");
            assert!(body.message.contains("invite-nope"), "{}", body.message);
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    let deleted = client.delete_invite(&invite.id).await.expect("delete");
    assert!(deleted.deleted);
    assert_eq!(deleted.id, invite.id);
    let again = client.retrieve_invite(&invite.id).await.expect_err("gone");
    assert!(again.is_not_found(), "{again:?}");
    let twice = client.delete_invite(&invite.id).await.expect_err("gone");
    assert!(twice.is_not_found(), "{twice:?}");
    assert!(mock.items("/organization/invites").is_empty());
}

#[tokio::test]
async fn invalid_requests_are_400_naming_the_parameter() {
    let mock = MockServer::start().await.expect("start");
    let cases = [
        // A closed enum: the client would keep "admin", the server refuses it.
        (
            "POST",
            "/organization/invites",
            Some(r#"{"email":"x@example.com","role":"admin"}"#),
            "role",
        ),
        // A required field.
        (
            "POST",
            "/organization/invites",
            Some(r#"{"role":"owner"}"#),
            "email",
        ),
        // A type.
        (
            "POST",
            "/organization/invites",
            Some(r#"{"email":7,"role":"owner"}"#),
            "email",
        ),
        // A nested enum.
        (
            "POST",
            "/organization/invites",
            Some(
                r#"{"email":"x@example.com","role":"owner","projects":[{"id":"p","role":"boss"}]}"#,
            ),
            "projects[0].role",
        ),
        // Bounds of a query parameter.
        ("GET", "/organization/invites?limit=101", None, "limit"),
        ("GET", "/organization/invites?limit=ten", None, "limit"),
        // A query parameter the operation does not have.
        ("GET", "/organization/invites?colour=red", None, "colour"),
    ];
    for (method, path, body, param) in cases {
        let (status, error) = raw(&mock, method, path, body).await;
        assert_eq!(status, 400, "{method} {path} {body:?}: {error}");
        assert_eq!(error["error"]["param"], json!(param), "{error}");
        assert_eq!(error["error"]["type"], json!("invalid_request_error"));
    }
    assert!(
        mock.items("/organization/invites").is_empty(),
        "nothing stored"
    );
    let (status, _) = raw(&mock, "GET", "/organization/invites?limit=100", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn only_the_chosen_key_is_accepted() {
    let mock = MockServer::builder()
        .api_key("sk-admin-test")
        .start()
        .await
        .expect("start");
    let right = mock.client().expect("client");
    right
        .list_invites()
        .send()
        .await
        .expect("the chosen key works");
    for key in ["mock-api-key", "sk-admin-other"] {
        let wrong = Client::builder()
            .api_key(key)
            .base_url(mock.base_url())
            .build()
            .expect("client");
        let error = wrong.list_invites().send().await.expect_err("401");
        assert!(error.is_unauthorized(), "{error:?}");
        let body = error.as_api_error().and_then(|e| e.body()).expect("shape");
        assert_eq!(body.code.as_deref(), Some("invalid_api_key"));
    }
    let anonymous = reqwest::get(format!("{}/organization/invites", mock.base_url()))
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn seeded_items_are_listed_and_retrievable() {
    let mock = MockServer::builder()
        .seed(
            "/organization/invites",
            json!({"id": "invite-seeded", "email": "s@example.com", "role": "owner", "status": "accepted"}),
        )
        .seed(
            "/organization/invites",
            json!({"email": "t@example.com", "role": "reader"}),
        )
        .start()
        .await
        .expect("start");
    let client = mock.client().expect("client");
    let page = client.list_invites().send().await.expect("list");
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].id, "invite-seeded");
    assert_eq!(page.data[1].email, "t@example.com");
    let seeded = client.retrieve_invite("invite-seeded").await.expect("get");
    assert_eq!(seeded.email, "s@example.com");
    assert!(
        MockServer::builder()
            .seed("/no/such/collection", json!({}))
            .start()
            .await
            .is_err(),
        "a seed must name a collection"
    );
}

#[tokio::test]
async fn received_requests_are_recorded_without_the_key() {
    let mock = MockServer::start().await.expect("start");
    let client = mock.client().expect("client");
    create(&client, "x@example.com").await;
    client.list_invites().limit(3).send().await.expect("list");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    let post = &requests[0];
    assert_eq!(post.method, "POST");
    assert_eq!(post.path, "/organization/invites");
    assert_eq!(post.operation.as_deref(), Some("invite_user"));
    assert_eq!(
        post.json(),
        Some(json!({"email": "x@example.com", "role": "reader"}))
    );
    let get = &requests[1];
    assert_eq!(get.query, [("limit".to_string(), "3".to_string())]);
    for request in &requests {
        assert!(
            !request
                .headers
                .iter()
                .any(|(name, value)| name == "authorization"
                    || value.contains(openai_invites::mock::MOCK_API_KEY)),
            "{:?}",
            request.headers
        );
        assert!(request.headers.iter().any(|(name, _)| name == "user-agent"));
    }
    mock.clear_requests();
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn faults_hit_the_next_calls_and_the_client_retries_through_them() {
    let mock = MockServer::start().await.expect("start");
    let client = Client::builder()
        .api_key(mock.api_key())
        .base_url(mock.base_url())
        .max_retries(3)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client");
    mock.fail_next("list_invites", 2, Fault::status(429).with_retry_after("0"));
    client.list_invites().send().await.expect("third attempt");
    assert_eq!(mock.requests().len(), 3, "two faults, then the answer");

    mock.fail_next("list_invites", 1, Fault::status(503));
    let no_retries = mock.client().expect("client");
    let error = no_retries
        .list_invites()
        .max_retries(0)
        .send()
        .await
        .expect_err("503");
    assert!(error.is_server_error(), "{error:?}");
    let headers = error.as_api_error().expect("api").headers().clone();
    assert!(headers.get("retry-after").is_none());

    mock.fail_next("list_invites", 1, Fault::status(429).with_retry_after("7"));
    let error = no_retries
        .list_invites()
        .max_retries(0)
        .send()
        .await
        .expect_err("429");
    assert!(error.is_rate_limited());
    assert_eq!(
        error.as_api_error().expect("api").headers()["retry-after"],
        "7"
    );

    mock.fail_next("list_invites", 1, Fault::dropped_connection());
    let error = no_retries
        .list_invites()
        .max_retries(0)
        .send()
        .await
        .expect_err("dropped");
    assert!(error.is_connection(), "{error:?}");
    // The server survives a dropped connection.
    no_retries
        .list_invites()
        .send()
        .await
        .expect("after the drop");

    mock.fail_next("list_invites", 1, Fault::delay(Duration::from_millis(300)));
    let error = no_retries
        .list_invites()
        .max_retries(0)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .expect_err("slow");
    assert!(error.is_timeout(), "{error:?}");
    // Other operations are untouched by a fault of list_invites.
    mock.fail_next("list_invites", 1, Fault::status(500));
    create(&no_retries, "x@example.com").await;
}
