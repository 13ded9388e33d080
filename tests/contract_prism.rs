//! Contract test against an independent mock of `spec/openapi.yaml`: the Prism mock server
//! (`@stoplight/prism-cli` from npm, installed into `target/prism` on first use) validates every
//! request the generated client sends and answers from the spec's examples.
//!
//! Needs `npm` (and so Node.js) on the PATH; without it the test fails and says so.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use openai_invites::client::AuthScheme;
use openai_invites::models::{
    InviteRequest, InviteRequestProject, InviteRole, InviteStatus, ProjectRole,
};
use openai_invites::{Client, Error};

const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5";
/// A cold Node start on a busy 2-core machine takes a few seconds; this only bounds a hang.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);
const KEY: &str = "sk-admin-contract-test";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/prism/node_modules/.bin/prism`, installed with npm unless already there.
fn prism_binary() -> PathBuf {
    let prefix = root().join("target").join("prism");
    let binary = prefix.join("node_modules").join(".bin").join("prism");
    if binary.exists() {
        return binary;
    }
    let npm = Command::new("npm").arg("--version").output();
    if !matches!(&npm, Ok(output) if output.status.success()) {
        panic!(
            "npm was not found on the PATH ({npm:?}): this contract test needs Node.js and npm \
             to install {PRISM_PACKAGE} into {}; install them (e.g. `apt-get install nodejs npm`) \
             and run the test again",
            prefix.display()
        );
    }
    std::fs::create_dir_all(&prefix).expect("create target/prism");
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(PRISM_PACKAGE)
        .status()
        .expect("run npm install");
    assert!(
        status.success() && binary.exists(),
        "`npm install --prefix {} {PRISM_PACKAGE}` failed ({status})",
        prefix.display()
    );
    binary
}

/// A running `prism mock`; killed and reaped when dropped, so a failing assertion cannot leave
/// it behind.
struct Prism {
    child: Child,
    address: SocketAddr,
    log: PathBuf,
}

impl Prism {
    fn start() -> Prism {
        let binary = prism_binary();
        let address = free_address();
        let log = root()
            .join("target")
            .join("prism")
            .join(format!("prism-{}.log", address.port()));
        let log_file = std::fs::File::create(&log).expect("create the Prism log");
        let child = Command::new(&binary)
            .args(["mock", "spec/openapi.yaml", "-h", "127.0.0.1", "-p"])
            .arg(address.port().to_string())
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let mut prism = Prism {
            child,
            address,
            log,
        };
        prism.wait_until_listening();
        prism
    }

    fn wait_until_listening(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("poll Prism") {
                panic!(
                    "Prism exited with {status} before listening:\n{}",
                    self.log_text()
                );
            }
            if TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_ok() {
                return;
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "Prism did not listen on {} within {STARTUP_LIMIT:?}:\n{}",
                self.address,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The log is kept for a failed run only: it is what explains the failure.
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_address() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address")
}

/// Everything in one test, so Prism starts once (a few seconds) rather than once per check.
#[tokio::test]
async fn generated_client_satisfies_prism_mock_of_the_spec() {
    let prism = Prism::start();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(prism.url())
        // Prism answers at once; a failure here is a contract failure, not a flaky network.
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");
    let context =
        |step: &str, error: &Error| format!("{step}: {error}\nPrism log:\n{}", prism.log_text());

    // list: query parameters within the spec's bounds.
    let page = client
        .list_invites()
        .after("invite-abc")
        .limit(100)
        .await
        .unwrap_or_else(|e| panic!("{}", context("list", &e)));
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, "invite-abc");
    assert_eq!(page.data[0].created_at.as_secs(), 1_711_471_533);
    assert_eq!(page.has_more, Some(false));

    // list, every page.
    let all: Vec<_> = client
        .list_invites()
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{}", context("list stream", &e)));
    assert_eq!(all.len(), 1);

    // create, with each shape of `projects` the spec allows.
    for request in [
        InviteRequest::new("user@example.com", InviteRole::Reader),
        InviteRequest::new("user@example.com", InviteRole::Owner).with_projects(vec![]),
        InviteRequest::new("user@example.com", InviteRole::Reader).with_projects(vec![
            InviteRequestProject::new("project-xyz", ProjectRole::Member),
        ]),
    ] {
        let invite = client
            .invite_user(request)
            .await
            .unwrap_or_else(|e| panic!("{}", context("create", &e)));
        assert_eq!(invite.status, InviteStatus::Pending);
        assert_eq!(invite.accepted_at, None, "null in the example");
        assert_eq!(invite.projects, Some(vec![]));
    }

    // retrieve, also with an id that must be percent-encoded to stay one segment.
    for id in ["invite-abc", "a/b c?d#é"] {
        let response = client
            .retrieve_invite(id)
            .send_with_response()
            .await
            .unwrap_or_else(|e| panic!("{}", context("retrieve", &e)));
        assert_eq!(response.status(), 200);
        assert_eq!(response.body().role, InviteRole::Owner);
    }

    // delete.
    let deleted = client
        .delete_invite("invite-abc")
        .await
        .unwrap_or_else(|e| panic!("{}", context("delete", &e)));
    assert!(deleted.deleted);
    assert_eq!(deleted.id, "invite-abc");

    // Prism rejects limit > 100; the client refuses it before anything is sent.
    openai_invites::client::install_tls_provider();
    let raw = reqwest::Client::new()
        .get(format!("{}/organization/invites?limit=101", prism.url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("raw request to Prism");
    assert_eq!(raw.status(), 422, "Prism enforces the spec's maximum");
    let error = client
        .list_invites()
        .limit(101)
        .await
        .expect_err("caught client-side");
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("limit")),
        "{error:?}"
    );

    // A value the spec does not allow reaches Prism and comes back as an API error.
    let error = client
        .invite_user(InviteRequest::new(
            "user@example.com",
            InviteRole::from("superuser"),
        ))
        .await
        .expect_err("role outside the enum");
    let status = error.status().expect("an HTTP answer");
    assert!(status.is_client_error(), "{error:?}");
    let api = error.as_api_error().expect("Error::Api");
    assert!(api.raw_body().contains("role"), "{}", api.raw_body());

    // Without credentials the spec's security requirement fails: 401.
    let anonymous = Client::builder()
        .auth_scheme(AuthScheme::None)
        .base_url(prism.url())
        .max_retries(0)
        .build()
        .expect("client builds");
    let error = anonymous
        .retrieve_invite("invite-abc")
        .await
        .expect_err("no key");
    assert!(error.is_unauthorized(), "{error:?}");

    drop(prism);
}
