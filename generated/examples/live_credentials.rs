//! Access tokens from a token source with Telegent: fetched when needed,
//! renewed before they expire and once more on a 401.

use std::time::Duration;

use vendor_clients::runtime::{ClientCredentials, Error, Token, TokenError};
use vendor_clients::telegent::{Client, UpdateServiceRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The OAuth 2 client-credentials flow. A description that declares one
    // gives `Client::client_credentials(id, secret)` with its token URL and
    // `Client::SCOPE_…` constants; Telegent names its token endpoint only in
    // prose, so the URL (relative to the base URL) is given here.
    let flow = ClientCredentials::new(
        "/v1.0/oauth2/tokens",
        std::env::var("TELEGENT_CLIENT_ID")?,
        std::env::var("TELEGENT_CLIENT_SECRET")?,
    )
    .scope("services");
    let client = Client::builder()
        .client_credentials(flow)
        .token_margin(Duration::from_secs(60)) // renew a minute before expiry
        .build()?;

    // Or tokens from code of your own: a secrets manager, a sidecar…
    let _from_vault = Client::builder()
        .token_fn(|| async {
            let token = std::env::var("TELEGENT_TOKEN").map_err(TokenError::provider)?;
            Ok(Token::new(token).expires_in(Duration::from_secs(900)))
        })
        .build()?;

    let body = UpdateServiceRequest::new("SID-65d007be-8b49-45ac-b8ae-77b8d6a66c8b");
    match client.update_service(&body).await {
        Ok(response) => println!("updated: {}", response.status),
        // The token endpoint refused or failed: its OAuth error, never a secret.
        Err(Error::Token { source, .. }) => println!("no token: {source}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
