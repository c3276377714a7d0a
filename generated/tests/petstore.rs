//! The generated Swagger Petstore client (a Swagger 2.0 document) against a real
//! HTTP server on loopback: each construct of 2.0 as it goes on the wire — the
//! `body` parameter as JSON, `formData` as a URL-encoded form, `collectionFormat`
//! `multi` and `csv` query arrays, API keys in a header and the query — and the
//! base URL made of `host`, `basePath` and `schemes`.

#![cfg(feature = "petstore")]
// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use vendor_clients::petstore::{
    Client, FindPetsByStatusParams, FindPetsByStatusStatusItem, FindPetsByTagsParams, Pet,
    UpdatePetWithFormRequest, UpdatePetWithFormRequestStatus,
};
use vendor_clients::runtime::{Error, RetryPolicy};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

const KEY: &str = "special-key";

fn pet() -> Value {
    json!({"id": 10, "name": "doggie", "photoUrls": ["https://example.com/doggie.png"], "status": "available"})
}

/// A server answering every request with `status` and `body`.
async fn answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .retry(RetryPolicy::none())
        .base_url(server.uri())
        .api_key(KEY)
        .build()
        .unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    received.remove(0)
}

#[test]
fn the_base_url_is_host_base_path_and_the_secure_scheme() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://petstore.swagger.io/v2");
}

#[tokio::test]
async fn a_body_parameter_is_sent_as_json() {
    let server = answering(200, pet()).await;
    let body = Pet::new("doggie", vec!["https://example.com/doggie.png".to_string()]);
    let stored = client_for(&server)
        .add_pet(&body)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored.id, Some(10));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/pet");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["api_key"], KEY);
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"name": "doggie", "photoUrls": ["https://example.com/doggie.png"]})
    );
}

#[tokio::test]
async fn form_parameters_are_sent_url_encoded() {
    let server = answering(200, pet()).await;
    let form =
        UpdatePetWithFormRequest::new("Rex & Co").status(UpdatePetWithFormRequestStatus::Sold);
    client_for(&server)
        .update_pet_with_form(10, &form)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/pet/10");
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "name=Rex+%26+Co&status=sold"
    );
}

#[tokio::test]
async fn collection_format_multi_repeats_the_parameter() {
    let server = answering(200, json!([pet()])).await;
    let params = FindPetsByStatusParams::new(vec![
        FindPetsByStatusStatusItem::Available,
        FindPetsByStatusStatusItem::Sold,
    ]);
    let pets = client_for(&server)
        .find_pets_by_status(&params)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(pets.len(), 1);
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("status=available&status=sold"));
}

#[tokio::test]
async fn collection_format_csv_joins_the_values() {
    let server = answering(200, json!([])).await;
    let params = FindPetsByTagsParams::new(vec!["friendly".to_string(), "small".to_string()]);
    client_for(&server)
        .find_pets_by_tags(&params)
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("tags=friendly%2Csmall"));
}

#[tokio::test]
async fn an_api_key_in_the_query_and_a_typed_error() {
    let server = answering(
        404,
        json!({"code": 1, "type": "error", "message": "Pet not found"}),
    )
    .await;
    let error = client_for(&server).get_pet_by_id(7).await.unwrap_err();
    let Error::Api { error, .. } = error else {
        panic!("not an API error: {error}")
    };
    assert_eq!(error.status.as_u16(), 404);
    assert_eq!(
        error.body.unwrap().message.as_deref(),
        Some("Pet not found")
    );
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/pet/7");
    assert_eq!(request.url.query(), Some("api_key=special-key"));
    assert!(request.headers.get("api_key").is_none());
}
