//! `deepObject` query parameters of the `deep_objects` fixture's crate on the wire: the
//! generated client against a loopback server that reads the query back on its own (the
//! exact bytes, the decoded pairs, and what `serde_qs` reconstructs from them), and the
//! crate's mock, which must accept what the client sends and refuse what the API would.

use std::collections::BTreeMap;
use std::time::Duration;

use fixture_deep_objects::models::{
    ListBalanceTransactionsAvailableOn, ListChargesCreated, ListChargesFilter,
    ListChargesFilterCard, ListChargesFilterCardExp, ListChargesFilterStatus, Range,
};
use fixture_deep_objects::Client;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Upper bound on any one wait, so a regression fails instead of hanging.
const BOUND: Duration = Duration::from_secs(10);

/// A server on 127.0.0.1 that answers one request with an empty page; the task returns the
/// request target (path and query, as sent) and drops the listener.
async fn serve_one() -> (Client, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let head = read_head(&mut socket).await;
        let body = r#"{"data":[],"has_more":false}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.expect("answer");
        let request_line = head.lines().next().unwrap_or_default();
        request_line
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .to_string()
    });
    let client = Client::builder()
        .api_key("test-key")
        .base_url(&base_url)
        .max_retries(0)
        .build()
        .expect("client");
    (client, task)
}

async fn read_head(socket: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    while !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => bytes.extend_from_slice(&buffer[..read]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The request target the server saw.
async fn received(task: JoinHandle<String>) -> String {
    tokio::time::timeout(BOUND, task)
        .await
        .expect("the server answers within the bound")
        .expect("the server task ends")
}

/// The query's pairs, percent-decoded as any form parser reads them.
fn decoded_pairs(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, query)| query);
    form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// The query as a bracket-notation parser (Rails and `qs` conventions) understands it,
/// into types of this test's own, not the generated ones.
#[derive(Debug, PartialEq, Deserialize)]
struct Received {
    created: Bounds,
    expand: Vec<String>,
    filter: Filter,
    metadata: BTreeMap<String, String>,
    limit: u32,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Bounds {
    gte: Option<i64>,
    lt: Option<i64>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Filter {
    status: String,
    live: bool,
    min_amount: f64,
    card: Card,
    tags: Vec<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Card {
    brand: String,
    exp: BTreeMap<String, i32>,
}

fn full_filter() -> ListChargesFilter {
    let mut exp = ListChargesFilterCardExp::new();
    exp.year = Some(2030);
    let mut card = ListChargesFilterCard::new("visa & co");
    card.exp = Some(exp);
    let mut filter = ListChargesFilter::new();
    filter.status = Some(ListChargesFilterStatus::Paid);
    filter.live = Some(true);
    filter.min_amount = Some(2.5);
    filter.card = Some(card);
    filter.tags = Some(vec!["a b".to_string(), "ü".to_string()]);
    filter
}

fn range(gte: i64, lt: i64) -> ListChargesCreated {
    let mut range = Range::default();
    range.gte = Some(gte);
    range.lt = Some(lt);
    ListChargesCreated::Range(range)
}

#[tokio::test]
async fn deep_objects_are_sent_in_brackets_that_a_qs_parser_reads_back() {
    let (client, task) = serve_one().await;
    client
        .list_charges()
        .created(range(1, 2))
        .expand(vec!["customer".to_string(), "invoice.lines".to_string()])
        .filter(full_filter())
        .metadata(BTreeMap::from([(
            "order id".to_string(),
            "[1]=x&y".to_string(),
        )]))
        .limit(3)
        .await
        .expect("the empty page decodes");
    let target = received(task).await;

    // Brackets are percent-encoded like every other reserved character (RFC 3986 has no
    // room for them in a query), so the whole query is plain form encoding.
    assert_eq!(
        target,
        "/charges?created%5Bgte%5D=1&created%5Blt%5D=2\
         &expand%5B%5D=customer&expand%5B%5D=invoice.lines\
         &filter%5Bstatus%5D=paid&filter%5Blive%5D=true&filter%5Bmin_amount%5D=2.5\
         &filter%5Bcard%5D%5Bbrand%5D=visa+%26+co&filter%5Bcard%5D%5Bexp%5D%5Byear%5D=2030\
         &filter%5Btags%5D%5B%5D=a+b&filter%5Btags%5D%5B%5D=%C3%BC\
         &metadata%5Border+id%5D=%5B1%5D%3Dx%26y&limit=3"
    );
    let expected_pairs: Vec<(String, String)> = [
        ("created[gte]", "1"),
        ("created[lt]", "2"),
        ("expand[]", "customer"),
        ("expand[]", "invoice.lines"),
        ("filter[status]", "paid"),
        ("filter[live]", "true"),
        ("filter[min_amount]", "2.5"),
        ("filter[card][brand]", "visa & co"),
        ("filter[card][exp][year]", "2030"),
        ("filter[tags][]", "a b"),
        ("filter[tags][]", "ü"),
        ("metadata[order id]", "[1]=x&y"),
        ("limit", "3"),
    ]
    .iter()
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect();
    assert_eq!(decoded_pairs(&target), expected_pairs);

    let query = target.split_once('?').expect("a query").1;
    let parsed: Received = serde_qs::Config::new()
        .use_form_encoding(true)
        .deserialize_str(query)
        .expect("serde_qs reads the query");
    assert_eq!(
        parsed,
        Received {
            created: Bounds {
                gte: Some(1),
                lt: Some(2),
            },
            expand: vec!["customer".to_string(), "invoice.lines".to_string()],
            filter: Filter {
                status: "paid".to_string(),
                live: true,
                min_amount: 2.5,
                card: Card {
                    brand: "visa & co".to_string(),
                    exp: BTreeMap::from([("year".to_string(), 2030)]),
                },
                tags: vec!["a b".to_string(), "ü".to_string()],
            },
            metadata: BTreeMap::from([("order id".to_string(), "[1]=x&y".to_string())]),
            limit: 3,
        }
    );
}

#[tokio::test]
async fn a_union_sends_its_scalar_variant_plainly_and_empty_values_send_nothing() {
    let (client, task) = serve_one().await;
    client
        .list_charges()
        .created(ListChargesCreated::Integer(1_700_000_000))
        .expand(Vec::new())
        .filter(ListChargesFilter::new())
        .metadata(BTreeMap::new())
        .await
        .expect("the empty page decodes");
    assert_eq!(received(task).await, "/charges?created=1700000000");
}

#[tokio::test]
async fn a_key_that_brackets_cannot_carry_fails_before_sending() {
    let client = Client::builder()
        .api_key("test-key")
        // Nothing listens here; the call must fail before connecting.
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .expect("client");
    let error = client
        .list_charges()
        .metadata(BTreeMap::from([("a][admin".to_string(), "1".to_string())]))
        .await
        .expect_err("the key is refused");
    assert!(
        matches!(error, fixture_deep_objects::Error::InvalidRequest(_)),
        "{error}"
    );
}

/// The status the mock answers a raw `GET` of `target` with.
async fn mock_status(base_url: &str, key: &str, target: &str) -> u16 {
    let address = base_url.trim_start_matches("http://");
    let mut socket = TcpStream::connect(address)
        .await
        .expect("connect to the mock");
    let request = format!(
        "GET {target} HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {key}\r\nconnection: close\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    tokio::time::timeout(BOUND, socket.read_to_end(&mut response))
        .await
        .expect("the mock answers within the bound")
        .expect("read the answer");
    let response = String::from_utf8_lossy(&response);
    response
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_mock_parses_deep_objects_back_and_is_strict_about_them() {
    let mock = fixture_deep_objects::mock::MockServer::start()
        .await
        .expect("mock starts");
    let client = mock.client().expect("client");
    client
        .list_charges()
        .created(range(1, 2))
        .expand(vec!["customer".to_string()])
        .filter(full_filter())
        .metadata(BTreeMap::from([("k".to_string(), "v".to_string())]))
        .limit(3)
        .await
        .expect("the mock accepts what the client sends");
    let mut available_on = ListBalanceTransactionsAvailableOn::new(5);
    available_on.lt = Some(9);
    client
        .list_balance_transactions(available_on)
        .await
        .expect("the mock accepts a required deep object");
    let recorded = mock.requests();
    assert_eq!(
        recorded[1].query,
        [
            ("available_on[gte]".to_string(), "5".to_string()),
            ("available_on[lt]".to_string(), "9".to_string()),
        ]
    );

    let base_url = mock.base_url();
    let key = mock.api_key().to_string();
    assert_eq!(
        mock_status(&base_url, &key, "/charges?created%5Bgte%5D=1").await,
        200
    );
    for refused in [
        // A field the schema does not have.
        "/charges?created%5Bsince%5D=1",
        "/charges?filter%5Bcard%5D%5Bbrand%5D=v&filter%5Bcard%5D%5Bcvc%5D=1",
        // Wrong types, and a value outside the enum.
        "/charges?filter%5Blive%5D=yes",
        "/charges?created%5Bgte%5D=soon",
        "/charges?filter%5Bstatus%5D=void",
        // A required field of a nested object is missing.
        "/charges?filter%5Bcard%5D%5Bexp%5D%5Byear%5D=2030",
        // Malformed brackets, and a parameter that is not deep.
        "/charges?filter%5Bstatus=paid",
        "/charges?limit%5Bx%5D=1",
        // A required deep object left out.
        "/balance_transactions",
    ] {
        assert_eq!(
            mock_status(&base_url, &key, refused).await,
            400,
            "{refused}"
        );
    }
    mock.stop().await;
}
