//! The generated models against the API's own JSON examples (`tests/data/`, copied from the
//! research seeds): each decodes into the right type and values, under both spellings of the
//! send time, and serialize → deserialize gives back the same value.

use openai_invites::UnixTime;
use openai_invites::models::{
    Invite, InviteDeleteResponse, InviteListResponse, InviteProject, InviteRequest, InviteRole,
    InviteStatus, ProjectRole,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: DeserializeOwned>(name: &str) -> T {
    let text = data(name);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut deserializer)
        .unwrap_or_else(|e| panic!("{name}: at {}: {}", e.path(), e.inner()))
}

/// Serializes `value`, decodes the JSON again and checks nothing changed; returns the JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> serde_json::Value {
    let json = serde_json::to_value(value).expect("serializes");
    let again: T = serde_json::from_value(json.clone()).expect("deserializes its own output");
    assert_eq!(&again, value, "round trip through {json}");
    json
}

#[test]
fn retrieve_example_with_created_at() {
    let invite: Invite = decode("retrieve_invite_created_at.json");

    let expected = Invite::new(
        "invite-abc",
        "user@example.com",
        InviteRole::Owner,
        InviteStatus::Accepted,
        UnixTime::from_secs(1_711_471_533),
    )
    .with_expires_at(UnixTime::from_secs(1_711_471_533))
    .with_accepted_at(UnixTime::from_secs(1_711_471_533));
    assert_eq!(invite, expected);
    assert_eq!(invite.projects, None);
    let json = round_trip(&invite);
    assert_eq!(json["object"], "organization.invite");
    assert!(
        json.get("projects").is_none(),
        "absent stays absent: {json}"
    );
}

#[test]
fn list_example_with_invited_at() {
    let page: InviteListResponse = decode("list_invites_invited_at.json");

    assert_eq!(page.data.len(), 1);
    let invite = &page.data[0];
    assert_eq!(invite.id, "invite-abc");
    assert_eq!(
        invite.created_at.as_secs(),
        1_711_471_533,
        "read from invited_at"
    );
    assert_eq!(invite.status, InviteStatus::Accepted);
    assert_eq!(page.first_id.as_deref(), Some("invite-abc"));
    assert_eq!(page.last_id.as_deref(), Some("invite-abc"));
    assert_eq!(page.has_more, Some(false));
    let json = round_trip(&page);
    assert_eq!(json["object"], "list");
    // Written under the name the live API sends.
    assert_eq!(json["data"][0]["created_at"], 1_711_471_533);
    assert!(json["data"][0].get("invited_at").is_none(), "{json}");
}

#[test]
fn list_page_without_the_optional_fields() {
    // The upstream spec requires only `object` and `data`.
    let page: InviteListResponse = serde_json::from_value(serde_json::json!({
        "object": "list",
        "data": [],
    }))
    .expect("decodes");

    assert_eq!(page, InviteListResponse::new(vec![]));
    assert_eq!(page.has_more, None);
    let json = round_trip(&page);
    assert_eq!(json, serde_json::json!({ "object": "list", "data": [] }));
}

#[test]
fn create_examples_request_and_response() {
    let request: InviteRequest = decode("invite_user_request.json");
    assert_eq!(request, InviteRequest::new("email", InviteRole::Reader));
    let json = round_trip(&request);
    assert_eq!(
        json,
        serde_json::from_str::<serde_json::Value>(&data("invite_user_request.json")).expect("json"),
        "serializes to exactly the documented body"
    );

    let invite: Invite = decode("invite_user_response_invited_at.json");
    let expected = Invite::new(
        "id",
        "email",
        InviteRole::Owner,
        InviteStatus::Accepted,
        UnixTime::from_secs(0),
    )
    .with_expires_at(UnixTime::from_secs(0))
    .with_accepted_at(UnixTime::from_secs(0))
    .with_projects(vec![
        InviteProject::new()
            .with_id("id")
            .with_role(ProjectRole::Member),
    ]);
    assert_eq!(invite, expected);
    round_trip(&invite);
}

#[test]
fn upstream_invite_object_example_with_projects() {
    let invite: Invite = decode("invite_object_with_projects.json");

    let projects = invite.projects.as_deref().expect("projects");
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].id.as_deref(), Some("project-xyz"));
    assert_eq!(projects[0].role, Some(ProjectRole::Member));
    assert_eq!(invite.created_at.as_secs(), 1_711_471_533);
    round_trip(&invite);
}

#[test]
fn delete_example() {
    let deleted: InviteDeleteResponse = decode("delete_invite_response.json");

    assert_eq!(deleted, InviteDeleteResponse::new("invite-abc", true));
    let json = round_trip(&deleted);
    assert_eq!(json["object"], "organization.invite.deleted");
}

#[test]
fn both_spellings_of_the_send_time_decode_to_the_same_invite() {
    let created: Invite = decode("retrieve_invite_created_at.json");
    let mut text = data("retrieve_invite_created_at.json");
    text = text.replace("\"created_at\"", "\"invited_at\"");
    let invited: Invite = serde_json::from_str(&text).expect("invited_at spelling");

    assert_eq!(created, invited);
}

#[test]
fn nulls_and_empty_lists_keep_their_meaning() {
    // The create example of spec/openapi.yaml: a pending invite nobody accepted yet.
    let invite: Invite = serde_json::from_value(serde_json::json!({
        "object": "organization.invite",
        "id": "invite-abc",
        "email": "user@example.com",
        "role": "reader",
        "status": "pending",
        "created_at": 1_711_471_533,
        "expires_at": 1_712_076_333,
        "accepted_at": null,
        "projects": [],
    }))
    .expect("decodes");

    assert_eq!(invite.accepted_at, None);
    assert_eq!(invite.expires_at, Some(UnixTime::from_secs(1_712_076_333)));
    assert_eq!(invite.projects, Some(vec![]), "[] is not 'absent'");
    let json = round_trip(&invite);
    assert_eq!(json["projects"], serde_json::json!([]));
}

#[test]
fn a_wrong_object_constant_is_rejected() {
    let text = data("delete_invite_response.json").replace(
        "organization.invite.deleted",
        "organization.project.deleted",
    );
    let error = serde_json::from_str::<InviteDeleteResponse>(&text).expect_err("wrong object");
    assert!(
        error.to_string().contains("organization.project.deleted"),
        "{error}"
    );
}
