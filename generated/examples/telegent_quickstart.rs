//! The README's quickstart, compiled so it stays true:
//! `TELEGENT_TOKEN=... cargo run -p vendor-clients --example telegent_quickstart`.

use vendor_clients::runtime::Error;
use vendor_clients::telegent::{Client, UpdateServiceRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder() // base URL: https://api.telegent.com/v1.0
        .bearer_token(std::env::var("TELEGENT_TOKEN")?)
        .build()?;

    // Required fields go in `new`; optional ones are set fluently and only
    // those set are sent: {"ServiceId": "...", "ServiceName": "Caller Id"}.
    let body = UpdateServiceRequest::new("SID-65d007be-8b49-45ac-b8ae-77b8d6a66c8b")
        .service_name("Caller Id");

    match client.update_service(&body).await {
        Ok(response) => println!("updated: {}", response.status),
        Err(Error::Api { error, .. }) => {
            // The vendor's error body, typed when it parses; the raw bytes always.
            println!(
                "{}: {:?}",
                error.status,
                error.body.and_then(|b| b.message.into_value())
            );
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
