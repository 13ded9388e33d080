//! `Client::from_env`: the key from `OPENAI_ADMIN_KEY`, the base URL from `OPENAI_BASE_URL`.
//!
//! Its own test binary with a single test, because it changes the process environment: no other
//! thread of this process reads the environment while it runs.

use openai_invites::{Client, Error};

const KEY_ENV: &str = "OPENAI_ADMIN_KEY";
const BASE_URL_ENV: &str = "OPENAI_BASE_URL";

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary's only test runs on one thread, and nothing else runs concurrently
    // that reads the environment (see the module docs).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn from_env_reads_key_and_base_url_and_names_the_missing_variable() {
    set(KEY_ENV, None);
    set(BASE_URL_ENV, None);
    let error = Client::from_env().expect_err("no key");
    assert!(
        matches!(&error, Error::Config(m) if m.contains(KEY_ENV)),
        "{error:?}"
    );

    set(KEY_ENV, Some(""));
    assert!(
        matches!(Client::from_env(), Err(Error::Config(_))),
        "an empty key counts as missing"
    );

    set(KEY_ENV, Some("sk-admin-from-env"));
    let client = Client::from_env().expect("key set");
    assert_eq!(client.base_url(), "https://api.openai.com/v1");

    set(BASE_URL_ENV, Some(""));
    let client = Client::from_env().expect("key set");
    assert_eq!(
        client.base_url(),
        "https://api.openai.com/v1",
        "an empty base URL counts as unset"
    );

    set(BASE_URL_ENV, Some("http://127.0.0.1:9/v1/"));
    let client = Client::from_env().expect("key and base URL set");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

    // Explicit builder settings win over the environment.
    let client = Client::builder()
        .base_url("http://127.0.0.1:10")
        .from_env()
        .build()
        .expect("key from the environment");
    assert_eq!(client.base_url(), "http://127.0.0.1:10");

    set(BASE_URL_ENV, Some("not a url"));
    assert!(matches!(Client::from_env(), Err(Error::Config(_))));

    set(KEY_ENV, None);
    set(BASE_URL_ENV, None);
}
