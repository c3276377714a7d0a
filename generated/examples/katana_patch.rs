//! Partial updates with Katana: absent, `null`, or a value, and the rules checked
//! before anything is sent.

use vendor_clients::katana::{Client, UpdateServiceRequest};
use vendor_clients::runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder() // base URL: https://api.katanamrp.com/v1
        .bearer_token(std::env::var("KATANA_API_KEY")?)
        .build()?;

    // {"name": "Assembly"}: every other field is left unchanged.
    let rename = UpdateServiceRequest::new().name("Assembly");
    // {"name": "Assembly", "sales_price": null}: clears the price.
    let clear = UpdateServiceRequest::new()
        .name("Assembly")
        .clear_sales_price();
    // {"default_cost": 0.0}: zero is a value, not "unset".
    let zero = UpdateServiceRequest::new().default_cost(0.0);
    for body in [rename, clear, zero] {
        let service = client.update_service(42, &body).await?.into_inner();
        println!("{:?} deleted_at={:?}", service.name, service.deleted_at);
    }

    // `uom` has maxLength 7: nothing is sent; the error names field, rule and value:
    // `uom` = "boxes-10" (8 characters) breaks maxLength 7 (at most 7 characters)
    let too_long = UpdateServiceRequest::new().uom("boxes-10");
    match client.update_service(42, &too_long).await {
        Err(Error::Invalid { violations, .. }) => println!("{violations}"),
        other => println!("{other:?}"),
    }
    Ok(())
}
