//! The generated Katana client against a real HTTP server on loopback.
//!
//! The PATCH semantics (absent / null / value), the rules checked before sending,
//! the path parameter, and decoding of every documented response and error
//! example, read from `specs/katana/openapi.yaml`.

#![cfg(feature = "katana")]
// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use vendor_clients::katana::{Client, UpdateServiceRequest, UpdateServiceResponse};
use vendor_clients::runtime::{Error, Nullable, RetryPolicy, Rule};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "katana-key-42";

/// The `PATCH /services/{id}` operation object of the spec.
fn operation() -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../specs/katana/openapi.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    doc["paths"]["/services/{id}"]["patch"].clone()
}

/// The documented example of one status.
fn example(status: &str) -> Value {
    let example =
        operation()["responses"][status]["content"]["application/json"]["example"].clone();
    assert!(
        !example.is_null(),
        "specs/katana/openapi.yaml documents no {status} example"
    );
    example
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        // Retries have their own tests (resilience.rs): one attempt here.
        .retry(RetryPolicy::none())
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

/// A server answering every PATCH with the documented 200 example.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example("200")))
        .mount(&server)
        .await;
    server
}

/// Sends `body` for service 7 and returns the JSON the server received.
async fn sent_json(body: &UpdateServiceRequest) -> Value {
    let server = server().await;
    client_for(&server)
        .await
        .update_service(7, body)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).unwrap()
}

#[tokio::test]
async fn only_name_sends_only_name() {
    let body = UpdateServiceRequest::new().name("Assembly");
    assert_eq!(sent_json(&body).await, json!({"name": "Assembly"}));
}

#[tokio::test]
async fn cleared_sales_price_is_sent_as_null() {
    let body = UpdateServiceRequest::new()
        .name("Assembly")
        .clear_sales_price();
    let sent = sent_json(&body).await;
    assert_eq!(sent, json!({"name": "Assembly", "sales_price": null}));
    assert!(sent.as_object().unwrap().contains_key("sales_price"));
}

#[tokio::test]
async fn default_cost_zero_is_a_value_not_absent() {
    let body = UpdateServiceRequest::new().default_cost(0.0);
    assert_eq!(sent_json(&body).await, json!({"default_cost": 0.0}));
}

#[tokio::test]
async fn each_field_state_is_its_own_json() {
    let body = UpdateServiceRequest::new()
        .uom("pcs")
        .is_sellable(false)
        .sales_price(12.5)
        .clear_default_cost()
        .custom_field_collection_id(2147483647);
    assert_eq!(
        sent_json(&body).await,
        json!({
            "uom": "pcs",
            "is_sellable": false,
            "sales_price": 12.5,
            "default_cost": null,
            "custom_field_collection_id": 2147483647_i64,
        })
    );
}

#[tokio::test]
async fn path_parameter_and_headers() {
    let server = server().await;
    client_for(&server)
        .await
        .update_service(1234567890123, &UpdateServiceRequest::new().name("x"))
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/services/1234567890123");
    assert_eq!(request.headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["accept"], "application/json");
}

/// A server that would answer, to prove nothing reaches it.
async fn assert_rejected(body: UpdateServiceRequest, field: &str, rule: Rule, value: &str) {
    let server = server().await;
    let err = client_for(&server)
        .await
        .update_service(7, &body)
        .await
        .unwrap_err();
    let text = err.to_string();
    let Error::Invalid { violations, .. } = err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(violations.0.len(), 1, "{violations}");
    let v = &violations.0[0];
    assert_eq!(v.path, field);
    assert_eq!(v.rule, rule);
    assert_eq!(v.value, value);
    assert!(text.contains(field) && text.contains(value), "{text}");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn eight_character_uom_is_refused_before_sending() {
    assert_rejected(
        UpdateServiceRequest::new().uom("boxes-10"),
        "uom",
        Rule::MaxLength(7),
        "\"boxes-10\" (8 characters)",
    )
    .await;
}

#[tokio::test]
async fn seven_characters_counted_as_characters_not_bytes() {
    // 7 characters, 14 bytes: within maxLength 7.
    let body = UpdateServiceRequest::new().uom("ÄÖÜäöüß");
    assert_eq!(sent_json(&body).await, json!({"uom": "ÄÖÜäöüß"}));
}

#[tokio::test]
async fn prices_out_of_range_are_refused() {
    assert_rejected(
        UpdateServiceRequest::new().sales_price(-0.01),
        "sales_price",
        Rule::Minimum(0.0),
        "-0.01",
    )
    .await;
    assert_rejected(
        UpdateServiceRequest::new().default_cost(100000000000.5),
        "default_cost",
        Rule::Maximum(100000000000.0),
        "100000000000.5",
    )
    .await;
    assert_rejected(
        UpdateServiceRequest::new().custom_field_collection_id(2147483648_i64),
        "custom_field_collection_id",
        Rule::Maximum(2147483647.0),
        "2147483648",
    )
    .await;
}

#[tokio::test]
async fn bounds_themselves_are_allowed() {
    let body = UpdateServiceRequest::new()
        .sales_price(0.0)
        .default_cost(100000000000.0);
    assert_eq!(
        sent_json(&body).await,
        json!({"sales_price": 0.0, "default_cost": 100000000000.0})
    );
}

#[tokio::test]
async fn properties_outside_the_schema_are_refused() {
    let mut body = UpdateServiceRequest::new().name("x");
    body.additional_properties
        .insert("colour".into(), json!("red"));
    assert_rejected(body, "colour", Rule::NoAdditionalProperties, "a property").await;
}

#[tokio::test]
async fn documented_200_decodes_and_round_trips() {
    let server = server().await;
    let response = client_for(&server)
        .await
        .update_service(1, &UpdateServiceRequest::new().name("Service name"))
        .await
        .unwrap();
    let service: UpdateServiceResponse = response.into_inner();
    assert_eq!(service.id, Some(1));
    assert_eq!(service.deleted_at, Nullable::Null);
    assert_eq!(
        service.archived_at.as_deref(),
        Some("2020-10-20T10:37:05.085Z")
    );
    let variants = service.variants.as_ref().unwrap();
    assert_eq!(variants[0].sku.as_deref(), Some("S-2486"));
    assert_eq!(variants[0].sales_price, Nullable::Null);
    let custom = variants[0].custom_fields.as_ref().unwrap();
    assert_eq!(custom[0].field_name.as_deref(), Some("Power level"));
    assert_eq!(custom[0].field_value.as_deref(), Some("Strong"));
    assert_eq!(serde_json::to_value(&service).unwrap(), example("200"));
}

#[tokio::test]
async fn every_documented_error_decodes_into_the_envelope() {
    for status in ["401", "422", "429", "500"] {
        let documented = example(status);
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path("/services/3"))
            .respond_with(
                ResponseTemplate::new(status.parse::<u16>().unwrap())
                    .set_body_json(documented.clone()),
            )
            .mount(&server)
            .await;
        let err = client_for(&server)
            .await
            .update_service(3, &UpdateServiceRequest::new())
            .await
            .unwrap_err();
        assert_eq!(err.status().unwrap().as_str(), status);
        let body = err.body().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert_eq!(
            body.status_code.map(|c| c.to_string()).as_deref(),
            Some(status)
        );
        assert_eq!(body.name.as_deref(), documented["name"].as_str());
        assert_eq!(body.message.as_deref(), documented["message"].as_str());
        assert_eq!(serde_json::to_value(body).unwrap(), documented);
    }
}

#[tokio::test]
async fn validation_details_are_reachable() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(422).set_body_json(example("422")))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .await
        .update_service(3, &UpdateServiceRequest::new().name("a very long name"))
        .await
        .unwrap_err();
    let body = err.body().unwrap();
    assert_eq!(body.code.as_deref(), Some("VALIDATION_FAILED"));
    let detail = &body.details.as_ref().unwrap()[0];
    assert_eq!(detail.path.as_deref(), Some(".name"));
    assert_eq!(detail.code.as_deref(), Some("maxLength"));
    assert_eq!(detail.info.as_ref().unwrap().limit, Some(10));
}

/// Numbers written as text, as some gateways send them, still give the typed
/// error: `"statusCode": "422"` and `"limit": "10"` read as the integers.
#[tokio::test]
async fn an_error_body_with_numbers_as_text_is_still_typed() {
    let mut loose = example("422");
    loose["statusCode"] = json!("422");
    loose["details"][0]["info"]["limit"] = json!("10");
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(422).set_body_json(loose))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .await
        .update_service(3, &UpdateServiceRequest::new())
        .await
        .unwrap_err();
    let body = err.body().unwrap_or_else(|| panic!("untyped: {err:?}"));
    assert_eq!(body.status_code, Some(422));
    let detail = &body.details.as_ref().unwrap()[0];
    assert_eq!(detail.info.as_ref().unwrap().limit, Some(10));
    // Sent back, they are numbers, as the description says.
    assert_eq!(serde_json::to_value(body).unwrap(), example("422"));
}
