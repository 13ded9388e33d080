//! The main job: generate (via build.rs) and exercise the invites client end to end.
//!
//! Without `OPENAI_ADMIN_KEY` it starts the generated mock of the API on 127.0.0.1, which
//! keeps what it is sent: it creates three invites, lists them two per page and streams
//! across both pages, retrieves one, deletes it, and shows that retrieving it again is a 404.
//!
//! With `OPENAI_ADMIN_KEY` set it talks to the real API (or `OPENAI_BASE_URL`) and only
//! reads, unless `INVITE_EMAIL` is also set: creating an invite sends a real email, so that
//! is opt-in (and then only that one invite is created).

use futures_util::StreamExt;
use openai_invites::mock::MockServer;
use openai_invites::models::{InviteRequest, InviteRequestProject, InviteRole, ProjectRole};
use openai_invites::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let has_key = std::env::var("OPENAI_ADMIN_KEY").is_ok_and(|key| !key.trim().is_empty());
    let (client, mock, emails) = if has_key {
        let client = Client::from_env()?;
        println!("Using the API at {}", client.base_url());
        let emails: Vec<String> = std::env::var("INVITE_EMAIL").ok().into_iter().collect();
        (client, None, emails)
    } else {
        let mock = MockServer::start().await?;
        println!(
            "OPENAI_ADMIN_KEY is not set: using the embedded mock of the API at {}",
            mock.base_url()
        );
        let client = mock.client()?;
        let emails = ["ada", "grace", "linus"]
            .map(|name| format!("{name}@example.com"))
            .to_vec();
        (client, Some(mock), emails)
    };

    let mut created = Vec::new();
    for email in emails {
        println!("\n-- invite_user({email}, reader, one project)");
        let request = InviteRequest::new(email, InviteRole::Reader).with_projects(vec![
            InviteRequestProject::new("proj_example", ProjectRole::Member),
        ]);
        let invite = client.invite_user(request).await?;
        println!(
            "  created {} for {} ({})",
            invite.id, invite.email, invite.status
        );
        created.push(invite);
    }

    println!("\n-- list_invites().limit(2) (first page)");
    let page = client.list_invites().limit(2).send_with_response().await?;
    println!(
        "HTTP {} (request id {}), {} invite(s), has_more = {}",
        page.status(),
        page.request_id().unwrap_or("-"),
        page.body().data.len(),
        page.body().has_more.unwrap_or(false)
    );
    for invite in &page.body().data {
        // Timestamps are `UnixTime`s: they print as RFC 3339 dates in UTC.
        println!(
            "  {} {} {} {} sent {}",
            invite.id, invite.email, invite.role, invite.status, invite.created_at
        );
    }

    println!("\n-- list_invites().limit(2).stream() (every page, following `after`)");
    let mut all = std::pin::pin!(client.list_invites().limit(2).stream());
    let mut count = 0;
    while let Some(invite) = all.next().await {
        let invite = invite?;
        count += 1;
        println!("  #{count}: {} <{}>", invite.id, invite.email);
    }

    let Some(invite) = created.first() else {
        println!("\nSet INVITE_EMAIL to also create, retrieve and delete an invite.");
        return Ok(());
    };

    println!("\n-- retrieve_invite({})", invite.id);
    let fetched = client.retrieve_invite(&invite.id).await?;
    let expires = fetched
        .expires_at
        .map_or_else(|| "never".to_string(), |at| at.to_string());
    println!(
        "  {} for {}, sent at {}, expires {expires}",
        fetched.id, fetched.email, fetched.created_at
    );

    println!("\n-- delete_invite({})", invite.id);
    let deleted = client.delete_invite(&invite.id).await?;
    println!("  deleted = {}", deleted.deleted);

    println!("\n-- retrieve_invite({}) again", invite.id);
    match client.retrieve_invite(&invite.id).await {
        Err(error @ Error::Api(_)) if error.is_not_found() => {
            println!("  Error::Api with is_not_found() = true: {error}");
        }
        other => return Err(format!("expected a 404, got {other:?}").into()),
    }

    if let Some(mock) = mock {
        mock.stop().await;
    }
    Ok(())
}
