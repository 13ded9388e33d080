//! Each operation of the generated client against wiremock: method, path, query, headers and
//! body as sent, the decoded answer, and the parameter checks that fail before sending.

mod common;

use std::time::Duration;

use common::{
    INVITE_PATH, KEY, LIST_PATH, USER_AGENT, client_for, invite, invite_json, request_count,
    then_always,
};
use openai_invites::client::AuthScheme;
use openai_invites::models::{
    Invite, InviteListResponse, InviteRequest, InviteRequestProject, InviteRole, InviteStatus,
    ProjectRole,
};
use openai_invites::{Client, Error, RequestOptions};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

// ---------------------------------------------------------------------------------------------
// Happy paths, one per operation

#[tokio::test]
async fn list_invites_sends_query_auth_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("after", "invite-abc"))
        .and(query_param("limit", "20"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("user-agent", USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list",
            "data": [invite_json("invite-def")],
            "first_id": "invite-def",
            "last_id": "invite-def",
            "has_more": true,
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page: InviteListResponse = client_for(&server.uri())
        .list_invites()
        .after("invite-abc")
        .limit(20)
        .await
        .expect("success");

    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, "invite-def");
    assert_eq!(page.last_id.as_deref(), Some("invite-def"));
    assert_eq!(page.has_more, Some(true));
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("after=invite-abc&limit=20"));
    assert!(request.body.is_empty(), "a GET has no body");
}

#[tokio::test]
async fn list_invites_without_parameters_sends_no_query() {
    let server = MockServer::start().await;
    then_always(&server, common::page(&[], false)).await;

    let page = client_for(&server.uri())
        .list_invites()
        .await
        .expect("success");

    assert!(page.data.is_empty());
    assert_eq!(page.has_more, Some(false));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), LIST_PATH);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn invite_user_posts_the_json_body() {
    let server = MockServer::start().await;
    let expected = serde_json::json!({
        "email": "new@example.com",
        "role": "owner",
        "projects": [
            { "id": "proj_1", "role": "member" },
            { "id": "proj_2", "role": "owner" },
        ],
    });
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", USER_AGENT))
        .and(body_json(&expected))
        .respond_with(invite("inv_new"))
        .expect(1)
        .mount(&server)
        .await;
    let request = InviteRequest::new("new@example.com", InviteRole::Owner).with_projects(vec![
        InviteRequestProject::new("proj_1", ProjectRole::Member),
        InviteRequestProject::new("proj_2", ProjectRole::Owner),
    ]);

    let invite: Invite = client_for(&server.uri())
        .invite_user(request)
        .await
        .expect("success");

    assert_eq!(invite.id, "inv_new");
    assert_eq!(invite.status, InviteStatus::Pending);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn retrieve_invite_gets_one_invite() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INVITE_PATH))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("user-agent", USER_AGENT))
        .respond_with(invite("inv_1"))
        .expect(1)
        .mount(&server)
        .await;

    let invite = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("success");

    assert_eq!(invite.id, "inv_1");
    assert_eq!(invite.email, "inv_1@example.com");
    assert_eq!(invite.role, InviteRole::Reader);
    assert_eq!(invite.created_at.as_secs(), 1_711_471_533);
    assert_eq!(invite.expires_at, None);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn delete_invite_sends_delete_and_decodes_the_confirmation() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(INVITE_PATH))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("user-agent", USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "organization.invite.deleted",
            "id": "inv_1",
            "deleted": true,
        })))
        .expect(1)
        .mount(&server)
        .await;

    let deleted = client_for(&server.uri())
        .delete_invite("inv_1")
        .await
        .expect("success");

    assert_eq!(deleted.id, "inv_1");
    assert!(deleted.deleted);
    assert!(only_request(&server).await.body.is_empty());
}

#[tokio::test]
async fn send_with_response_exposes_status_headers_and_request_id() {
    let server = MockServer::start().await;
    then_always(
        &server,
        invite("inv_1").insert_header("x-ratelimit-remaining", "42"),
    )
    .await;

    let response = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .send_with_response()
        .await
        .expect("success");

    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_ok"));
    assert_eq!(response.headers()["x-ratelimit-remaining"], "42");
    assert_eq!(response.body().id, "inv_1");
    let mapped = response.map(|invite| invite.email);
    assert_eq!(mapped.into_body(), "inv_1@example.com");
}

#[tokio::test]
async fn call_future_is_static_and_spawnable() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;
    let call = client_for(&server.uri()).retrieve_invite("inv_1");

    let invite = tokio::spawn(std::future::IntoFuture::into_future(call))
        .await
        .expect("task")
        .expect("success");

    assert_eq!(invite.id, "inv_1");
}

// ---------------------------------------------------------------------------------------------
// Request bodies

#[tokio::test]
async fn projects_none_is_omitted_and_empty_projects_are_sent_as_empty_array() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_new")).await;
    let client = client_for(&server.uri());

    client
        .invite_user(InviteRequest::new("a@example.com", InviteRole::Reader))
        .await
        .expect("default project");
    client
        .invite_user(InviteRequest::new("b@example.com", InviteRole::Reader).with_projects(vec![]))
        .await
        .expect("no project");

    let requests = server.received_requests().await.expect("recording on");
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| r.body_json().expect("json body"))
        .collect();
    // Compared as values *and* as bytes: `null` or a missing key would both be wrong for `[]`.
    assert_eq!(
        bodies,
        [
            serde_json::json!({ "email": "a@example.com", "role": "reader" }),
            serde_json::json!({ "email": "b@example.com", "role": "reader", "projects": [] }),
        ]
    );
    assert!(
        !String::from_utf8_lossy(&requests[0].body).contains("projects"),
        "omitted, not null"
    );
}

#[tokio::test]
async fn unknown_role_in_a_request_is_sent_as_its_wire_value() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_new")).await;

    client_for(&server.uri())
        .invite_user(InviteRequest::new(
            "c@example.com",
            InviteRole::from("billing_admin"),
        ))
        .await
        .expect("success");

    let body: serde_json::Value = only_request(&server).await.body_json().expect("json");
    assert_eq!(body["role"], "billing_admin");
}

// ---------------------------------------------------------------------------------------------
// Parameters checked before sending

#[tokio::test]
async fn ids_with_reserved_and_non_ascii_characters_stay_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "organization.invite.deleted", "id": "x", "deleted": true,
        })))
        .mount(&server)
        .await;
    then_always(&server, invite("inv_1")).await;
    let client = client_for(&server.uri());
    let cases = [
        ("a/../b", "/organization/invites/a%2F..%2Fb"),
        ("x?y#z", "/organization/invites/x%3Fy%23z"),
        ("with space", "/organization/invites/with%20space"),
        ("ünï-é", "/organization/invites/%C3%BCn%C3%AF-%C3%A9"),
        ("safe-._~", "/organization/invites/safe-._~"),
        ("100%", "/organization/invites/100%25"),
    ];

    for (value, _) in cases {
        client.retrieve_invite(value).await.expect("retrieve");
        client.delete_invite(value).await.expect("delete");
    }

    let requests = server.received_requests().await.expect("recording on");
    let sent: Vec<(String, &str)> = requests
        .iter()
        .map(|r| (r.method.to_string(), r.url.path()))
        .collect();
    let expected: Vec<(String, &str)> = cases
        .iter()
        .flat_map(|(_, p)| [("GET".to_owned(), *p), ("DELETE".to_owned(), *p)])
        .collect();
    assert_eq!(sent, expected);
    assert!(requests.iter().all(|r| r.url.query().is_none()));
    assert!(requests.iter().all(|r| r.url.fragment().is_none()));
}

#[tokio::test]
async fn empty_or_dot_id_is_rejected_before_sending() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;
    let client = client_for(&server.uri());

    for value in ["", ".", ".."] {
        let retrieve = client.retrieve_invite(value).await.expect_err("rejected");
        let delete = client.delete_invite(value).await.expect_err("rejected");
        for error in [retrieve, delete] {
            assert!(
                matches!(error, Error::InvalidRequest(ref m) if m.contains("invite_id")),
                "{value:?}: {error:?}"
            );
        }
    }

    assert_eq!(request_count(&server).await, 0, "nothing was sent");
}

#[tokio::test]
async fn limit_outside_1_to_100_is_rejected_before_sending() {
    let server = MockServer::start().await;
    then_always(&server, common::page(&["a"], false)).await;
    let client = client_for(&server.uri());

    for limit in [i64::MIN, -1, 0, 101, 1000] {
        let error = client
            .list_invites()
            .limit(limit)
            .await
            .expect_err("out of range");
        assert!(
            matches!(error, Error::InvalidRequest(ref m) if m.contains("limit") && m.contains(&limit.to_string())),
            "{limit}: {error:?}"
        );
    }
    assert_eq!(request_count(&server).await, 0, "nothing was sent");

    for limit in [1, 100] {
        client.list_invites().limit(limit).await.expect("in range");
    }
    let requests = server.received_requests().await.expect("recording on");
    let sent: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(sent, [Some("limit=1"), Some("limit=100")]);
}

// ---------------------------------------------------------------------------------------------
// Base URL, authentication schemes and headers

#[tokio::test]
async fn base_url_trailing_slash_is_tolerated_and_path_prefix_kept() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v1{INVITE_PATH}")))
        .respond_with(invite("inv_1"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&format!("{}/v1/", server.uri()));

    assert_eq!(client.base_url(), format!("{}/v1", server.uri()));
    client.retrieve_invite("inv_1").await.expect("success");
}

async fn request_sent_with(scheme: AuthScheme, key: &str) -> Request {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;
    let client = Client::builder()
        .api_key(key)
        .auth_scheme(scheme)
        .base_url(server.uri())
        .build()
        .expect("client builds");
    client.retrieve_invite("inv_1").await.expect("success");
    only_request(&server).await
}

#[tokio::test]
async fn basic_auth_encodes_user_and_password_with_padding() {
    let request = request_sent_with(AuthScheme::Basic, "user:pass").await;
    assert_eq!(request.headers["authorization"], "Basic dXNlcjpwYXNz");
    let request = request_sent_with(AuthScheme::Basic, "ab:c").await;
    assert_eq!(request.headers["authorization"], "Basic YWI6Yw==");
}

#[tokio::test]
async fn api_key_header_and_query_schemes_place_the_key() {
    let request = request_sent_with(AuthScheme::ApiKeyHeader("x-api-key"), KEY).await;
    assert_eq!(request.headers["x-api-key"], KEY);
    assert!(request.headers.get("authorization").is_none());

    let request = request_sent_with(AuthScheme::ApiKeyQuery("api_key"), KEY).await;
    let sent: Vec<_> = request.url.query_pairs().collect();
    assert_eq!(sent, [("api_key".into(), KEY.into())]);
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn no_auth_scheme_needs_no_key() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;
    let client = Client::builder()
        .auth_scheme(AuthScheme::None)
        .base_url(server.uri())
        .build()
        .expect("no key needed");

    client.retrieve_invite("inv_1").await.expect("success");

    assert!(
        only_request(&server)
            .await
            .headers
            .get("authorization")
            .is_none()
    );
}

#[tokio::test]
async fn default_and_per_call_headers_layer_in_order() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .default_header("x-org", "org_default")
        .default_header("x-project", "proj_1")
        .build()
        .expect("client builds");

    client
        .retrieve_invite("inv_1")
        .header("x-org", "org_override")
        .await
        .expect("success");

    let request = only_request(&server).await;
    assert_eq!(request.headers["x-org"], "org_override");
    assert_eq!(request.headers["x-project"], "proj_1");
    assert_eq!(request.headers.get_all("x-org").iter().count(), 1);
    assert_eq!(request.headers["user-agent"], USER_AGENT);
}

#[tokio::test]
async fn invalid_per_call_header_fails_before_sending() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1")).await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .header("x-bad", "line\nbreak")
        .await
        .expect_err("invalid header");

    assert!(
        matches!(error, Error::InvalidRequest(ref m) if m.contains("x-bad")),
        "{error:?}"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn request_options_can_be_shared_between_calls() {
    let server = MockServer::start().await;
    then_always(&server, common::status(500)).await;
    let options = RequestOptions::new()
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .header("x-trace", "t1");
    let client = client_for(&server.uri());

    for _ in 0..2 {
        let error = client
            .retrieve_invite("inv_1")
            .with_options(options.clone())
            .await
            .expect_err("500");
        assert!(error.is_server_error());
    }

    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 2, "max_retries(0) means one attempt each");
    assert!(requests.iter().all(|r| r.headers["x-trace"] == "t1"));
}
