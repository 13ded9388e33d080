//! Auto-pagination of `list_invites().stream()`: cursors across pages, laziness, stopping on
//! empty or repeated pages, and errors surfacing as stream items.

mod common;

use common::{LIST_PATH, client_for, page, request_count, status};
use futures_util::{StreamExt, TryStreamExt};
use openai_invites::Error;
use openai_invites::models::Invite;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers list requests whose `after` is `after` (or absent) with `response`.
async fn mount_page(server: &MockServer, after: Option<&str>, response: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path(LIST_PATH));
    let mock = match after {
        Some(cursor) => mock.and(query_param("after", cursor)),
        None => mock.and(query_param_is_missing("after")),
    };
    mock.respond_with(response).mount(server).await;
}

/// The `after` parameter of each request `server` received, in order.
async fn cursors_sent(server: &MockServer) -> Vec<Option<String>> {
    let requests = server.received_requests().await.expect("recording on");
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "after")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

#[tokio::test]
async fn stream_follows_cursors_across_three_pages() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a", "b"], true)).await;
    mount_page(&server, Some("b"), page(&["c", "d"], true)).await;
    mount_page(&server, Some("d"), page(&["e"], false)).await;

    let ids: Vec<String> = client_for(&server.uri())
        .list_invites()
        .limit(2)
        .stream()
        .map_ok(|invite| invite.id)
        .try_collect()
        .await
        .expect("all pages");

    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        cursors_sent(&server).await,
        [None, Some("b".into()), Some("d".into())]
    );
    let requests = server.received_requests().await.expect("recording on");
    assert!(
        requests
            .iter()
            .all(|r| r.url.query_pairs().any(|(k, v)| k == "limit" && v == "2")),
        "the call's parameters apply to every page"
    );
}

#[tokio::test]
async fn stream_starts_after_the_cursor_the_caller_gave() {
    let server = MockServer::start().await;
    mount_page(&server, Some("x"), page(&["y"], true)).await;
    mount_page(&server, Some("y"), page(&["z"], false)).await;

    let ids: Vec<String> = client_for(&server.uri())
        .list_invites()
        .after("x")
        .stream()
        .map_ok(|invite| invite.id)
        .try_collect()
        .await
        .expect("all pages");

    assert_eq!(ids, ["y", "z"]);
}

#[tokio::test]
async fn stream_stops_on_an_empty_page() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], true)).await;
    // Empty, yet claims more and names a cursor: following it could loop or waste requests.
    mount_page(
        &server,
        Some("a"),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list", "data": [], "last_id": "b", "has_more": true,
        })),
    )
    .await;
    mount_page(&server, Some("b"), page(&["c"], false)).await;

    let items: Vec<Invite> = client_for(&server.uri())
        .list_invites()
        .stream()
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(items.len(), 1);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn stream_stops_when_has_more_is_true_but_last_id_is_missing() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        None,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list",
            "data": [common::invite_json("a")],
            "has_more": true,
        })),
    )
    .await;

    let items: Vec<Invite> = client_for(&server.uri())
        .list_invites()
        .stream()
        .try_collect()
        .await
        .expect("one page");

    assert_eq!(items.len(), 1);
    assert_eq!(request_count(&server).await, 1, "no cursor, no next page");
}

#[tokio::test]
async fn a_page_without_has_more_is_the_last_one() {
    let server = MockServer::start().await;
    // `has_more` is optional in the upstream spec and the API reference.
    mount_page(
        &server,
        None,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "object": "list",
            "data": [common::invite_json("a")],
            "last_id": "a",
        })),
    )
    .await;
    mount_page(&server, Some("a"), page(&["b"], false)).await;

    let items: Vec<Invite> = client_for(&server.uri())
        .list_invites()
        .stream()
        .try_collect()
        .await
        .expect("one page");

    assert_eq!(items.len(), 1);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn stream_stops_when_the_server_repeats_a_cursor() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], true)).await;
    // A broken server that answers every later page with the same cursor.
    mount_page(&server, Some("a"), page(&["a"], true)).await;

    let items: Vec<Invite> = client_for(&server.uri())
        .list_invites()
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(items.len(), 2);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn stream_is_lazy() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a", "b"], true)).await;
    mount_page(&server, Some("b"), page(&["c"], false)).await;

    let mut stream = Box::pin(client_for(&server.uri()).list_invites().stream());
    let first_item = stream.next().await.expect("an item").expect("ok");

    assert_eq!(first_item.id, "a");
    assert_eq!(
        request_count(&server).await,
        1,
        "second page not fetched yet"
    );
}

#[tokio::test]
async fn stream_yields_the_error_as_an_item_then_ends() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], true)).await;
    mount_page(
        &server,
        Some("a"),
        status(404).insert_header("x-request-id", "req_page2"),
    )
    .await;

    let results: Vec<Result<Invite, Error>> = client_for(&server.uri())
        .list_invites()
        .stream()
        .collect()
        .await;

    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().expect("first page").id, "a");
    let error = results[1].as_ref().expect_err("second page fails");
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.request_id(), Some("req_page2"));
}

#[tokio::test]
async fn stream_retries_a_failing_page_before_giving_up_on_it() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], true)).await;
    Mock::given(method("GET"))
        .and(query_param("after", "a"))
        .respond_with(status(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_page(&server, Some("a"), page(&["b"], false)).await;

    let ids: Vec<String> = client_for(&server.uri())
        .list_invites()
        .stream()
        .map_ok(|invite| invite.id)
        .try_collect()
        .await
        .expect("the retry succeeds");

    assert_eq!(ids, ["a", "b"]);
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn stream_rejects_an_invalid_limit_as_its_only_item() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], false)).await;

    let results: Vec<Result<Invite, Error>> = client_for(&server.uri())
        .list_invites()
        .limit(101)
        .stream()
        .collect()
        .await;

    assert_eq!(results.len(), 1);
    assert!(
        matches!(&results[0], Err(Error::InvalidRequest(m)) if m.contains("limit")),
        "{results:?}"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn stream_uses_the_call_options_for_every_page() {
    let server = MockServer::start().await;
    mount_page(&server, None, page(&["a"], true)).await;
    mount_page(&server, Some("a"), page(&["b"], false)).await;

    let items: Vec<Invite> = client_for(&server.uri())
        .list_invites()
        .header("x-trace", "t1")
        .stream()
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(items.len(), 2);
    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.headers["x-trace"] == "t1"));
}
