//! Fidelity: a client this repository did not generate works against the generated mock
//! unchanged. The official `openai` Python package (installed with pip into a venv under
//! `target/mock-python` on first use) runs `tests/mock_python/openai_sdk_client.py`:
//! creates, pages with the SDK's own cursor page, retrieves, deletes, and gets the SDK's
//! `NotFoundError`, `BadRequestError` and `AuthenticationError` where the API would raise
//! them.
//!
//! Needs `python3` with the `venv` module; without it the test fails and says so.

use openai_invites::mock::MockServer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The package and version the script was written against.
const OPENAI_PACKAGE: &str = "openai==3.51.0";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/mock-python/bin/python` with the `openai` package, installed unless already there.
fn python_with_openai() -> PathBuf {
    let venv = root().join("target").join("mock-python");
    let python = venv.join("bin").join("python");
    let ready = || {
        Command::new(&python)
            .args(["-c", "import openai"])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if ready() {
        return python;
    }
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output();
    if !matches!(&created, Ok(output) if output.status.success()) {
        panic!(
            "could not create a Python venv at {} ({created:?}): this test needs python3 with \
             the venv module and pip (e.g. `apt-get install python3 python3-venv`) to install \
             {OPENAI_PACKAGE}; install them and run the test again",
            venv.display()
        );
    }
    let status = Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", OPENAI_PACKAGE])
        .status()
        .expect("run pip install");
    assert!(
        status.success() && ready(),
        "`pip install {OPENAI_PACKAGE}` into {} failed ({status})",
        venv.display()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_works_against_the_mock_unchanged() {
    let python = tokio::task::spawn_blocking(python_with_openai)
        .await
        .expect("install");
    let mock = MockServer::builder()
        .api_key("sk-admin-python-test")
        .start()
        .await
        .expect("start");
    let script = root().join("tests/mock_python/openai_sdk_client.py");
    let base_url = mock.base_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .env("MOCK_BASE_URL", base_url)
            .env("MOCK_API_KEY", "sk-admin-python-test")
            .output()
            .expect("run python")
    })
    .await
    .expect("python");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("ok"),
        "the openai package failed against the mock:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The SDK really talked to the mock: 3 creates, 2 pages (the second one following the
    // cursor), retrieve, delete, retrieve, the rejected create, the rejected key.
    let requests = mock.requests();
    assert_eq!(requests.len(), 10, "{requests:#?}");
    assert_eq!(
        requests[4].query,
        [
            ("limit".to_string(), "2".to_string()),
            ("after".to_string(), "invite-2".to_string())
        ],
        "{requests:#?}"
    );
    assert!(
        requests.iter().all(|r| r
            .headers
            .iter()
            .any(|(name, value)| name == "user-agent" && value.starts_with("OpenAI/Python"))),
        "{requests:#?}"
    );
}
