//! Retries, backoff, `Retry-After`, timeouts and dropped connections of the generated client,
//! against wiremock and raw TCP servers on 127.0.0.1, with millisecond delays.

mod common;

use std::time::{Duration, Instant};

use common::{
    KEY, assert_no_key, client_for, everything_printed, first, flaky_server, invite, invite_json,
    request_count, status, then_always,
};
use openai_invites::models::{InviteRequest, InviteRequestProject, InviteRole, ProjectRole};
use openai_invites::{Client, Error};
use wiremock::MockServer;

#[tokio::test]
async fn rate_limited_with_retry_after_then_success() {
    let server = MockServer::start().await;
    first(&server, 1, status(429).insert_header("retry-after", "0.2")).await;
    then_always(&server, invite("inv_1")).await;

    let started = Instant::now();
    let invite = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("retried");

    assert_eq!(invite.id, "inv_1");
    assert_eq!(request_count(&server).await, 2);
    // The client's own backoff is 1–5 ms here, so only the header explains the wait.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "retry-after honoured: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_ms_takes_precedence_over_retry_after() {
    let server = MockServer::start().await;
    first(
        &server,
        1,
        status(429)
            .insert_header("retry-after-ms", "10.5")
            .insert_header("retry-after", "100"),
    )
    .await;
    then_always(&server, invite("inv_1")).await;

    let started = Instant::now();
    client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("retried");

    assert!(
        started.elapsed() < Duration::from_secs(5),
        "used the 10.5 ms delay"
    );
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_retries_at_once() {
    let server = MockServer::start().await;
    first(
        &server,
        1,
        status(503).insert_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
    )
    .await;
    then_always(&server, invite("inv_1")).await;

    client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("retried");

    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_over_120_seconds_is_not_waited_for() {
    let server = MockServer::start().await;
    then_always(&server, status(429).insert_header("retry-after", "121")).await;

    let started = Instant::now();
    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("not retried");

    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(request_count(&server).await, 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn server_error_twice_then_success() {
    let server = MockServer::start().await;
    first(&server, 2, status(500)).await;
    then_always(&server, invite("inv_1")).await;

    let invite = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("third attempt succeeds");

    assert_eq!(invite.id, "inv_1");
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn retries_exhausted_returns_the_last_api_error() {
    let server = MockServer::start().await;
    first(&server, 2, status(500)).await;
    then_always(
        &server,
        status(503).insert_header("x-request-id", "req_last"),
    )
    .await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("always failing");

    assert_eq!(request_count(&server).await, 3, "1 attempt + 2 retries");
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.status(), 503);
    assert_eq!(error.request_id(), Some("req_last"));
    assert!(error.is_server_error() && error.is_retryable());
}

#[tokio::test]
async fn per_call_max_retries_overrides_the_client() {
    let server = MockServer::start().await;
    then_always(&server, status(502)).await;
    let client = client_for(&server.uri());

    client
        .retrieve_invite("inv_1")
        .max_retries(4)
        .await
        .expect_err("always failing");
    assert_eq!(request_count(&server).await, 5);

    client
        .retrieve_invite("inv_1")
        .max_retries(0)
        .await
        .expect_err("always failing");
    assert_eq!(request_count(&server).await, 6);
}

#[tokio::test]
async fn retryable_statuses_are_retried_and_others_are_not() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    for (code, attempts) in [
        (400, 1),
        (401, 1),
        (403, 1),
        (404, 1),
        (408, 2),
        (409, 2),
        (422, 1),
        (429, 2),
        (500, 2),
        (599, 2),
    ] {
        server.reset().await;
        then_always(&server, status(code)).await;
        let error = client
            .retrieve_invite("inv_1")
            .max_retries(1)
            .await
            .expect_err("error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(request_count(&server).await, attempts, "status {code}");
        assert_eq!(error.is_retryable(), attempts == 2, "status {code}");
    }
}

#[tokio::test]
async fn x_should_retry_false_forbids_a_retry() {
    let server = MockServer::start().await;
    then_always(
        &server,
        status(500).insert_header("x-should-retry", "false"),
    )
    .await;

    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect_err("not retried");

    assert!(error.is_server_error());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn x_should_retry_true_forces_a_retry_of_a_client_error() {
    let server = MockServer::start().await;
    first(
        &server,
        1,
        status(400).insert_header("x-should-retry", "true"),
    )
    .await;
    then_always(&server, invite("inv_1")).await;

    client_for(&server.uri())
        .retrieve_invite("inv_1")
        .await
        .expect("retried");

    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn the_body_is_identical_on_every_attempt() {
    let server = MockServer::start().await;
    first(&server, 2, status(500)).await;
    then_always(&server, invite("inv_new")).await;
    let request = InviteRequest::new("new@example.com", InviteRole::Reader).with_projects(vec![
        InviteRequestProject::new("proj_1", ProjectRole::Member),
    ]);

    client_for(&server.uri())
        .invite_user(request)
        .await
        .expect("third attempt succeeds");

    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 3);
    let expected = serde_json::json!({
        "email": "new@example.com",
        "role": "reader",
        "projects": [{ "id": "proj_1", "role": "member" }],
    });
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.headers["content-type"], "application/json");
        assert_eq!(
            request.body_json::<serde_json::Value>().expect("json"),
            expected
        );
        assert_eq!(request.body, requests[0].body, "byte for byte");
    }
}

#[tokio::test]
async fn dropped_connection_then_success() {
    let url = flaky_server(1, invite_json("inv_1").to_string()).await;

    let invite = client_for(&url)
        .retrieve_invite("inv_1")
        .await
        .expect("retried after the dropped connection");

    assert_eq!(invite.id, "inv_1");
}

#[tokio::test]
async fn dropped_connections_exhausting_retries_is_a_connection_error() {
    let url = flaky_server(10, String::new()).await;

    let error = client_for(&url)
        .retrieve_invite("inv_1")
        .await
        .expect_err("every connection dropped");

    assert!(error.is_connection() && error.is_retryable(), "{error:?}");
    assert_eq!(error.status(), None);
    assert_no_key(&everything_printed(&error));
}

#[tokio::test]
async fn refused_connection_is_a_connection_error() {
    let error = client_for(&common::closed_port_url().await)
        .retrieve_invite("inv_1")
        .max_retries(1)
        .await
        .expect_err("nothing listens");

    assert!(error.is_connection(), "{error:?}");
    assert_no_key(&everything_printed(&error));
}

#[tokio::test]
async fn slow_response_hits_the_per_call_timeout_and_is_retried() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1").set_delay(Duration::from_secs(2))).await;

    let started = Instant::now();
    let error = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .await
        .expect_err("timed out");

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_timeout() && error.is_retryable());
    assert_eq!(request_count(&server).await, 2, "timeouts are retried");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn body_that_stalls_after_the_headers_hits_the_timeout() {
    let url =
        common::stalling_body_server(Duration::from_secs(2), invite_json("inv_1").to_string())
            .await;

    let started = Instant::now();
    let error = client_for(&url)
        .retrieve_invite("inv_1")
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .await
        .expect_err("the body never finishes in time");

    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn client_timeout_applies_when_the_call_sets_none() {
    let server = MockServer::start().await;
    then_always(&server, invite("inv_1").set_delay(Duration::from_secs(2))).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .expect("client builds");

    let started = Instant::now();
    let error = client
        .retrieve_invite("inv_1")
        .await
        .expect_err("timed out");

    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn slow_first_attempt_then_fast_success() {
    let server = MockServer::start().await;
    first(
        &server,
        1,
        invite("inv_slow").set_delay(Duration::from_secs(2)),
    )
    .await;
    then_always(&server, invite("inv_1")).await;

    let invite = client_for(&server.uri())
        .retrieve_invite("inv_1")
        .timeout(Duration::from_millis(100))
        .await
        .expect("second attempt is fast");

    assert_eq!(invite.id, "inv_1");
}
