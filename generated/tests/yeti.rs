//! The generated Yeti-Switch Admin API client against a real HTTP server on
//! loopback: JSON:API media type, the raw-token `Authorization` header, decimals,
//! free-form `variables`, read and write models, and errors with and without a body.
//! Requests and responses are the examples of `specs/yeti/openapi.yaml`, which are
//! the vendor's documented request and response.

#![cfg(feature = "yeti")]
// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use serde_json::{Value, json};
use vendor_clients::runtime::{Decimal, DecimalString, EncodeError, Error, Nullable, RetryPolicy};
use vendor_clients::yeti::{
    Client, ServiceDocument, ServiceUpdate, ServiceUpdateAttributes, ServiceUpdateDocument,
    ServicesType,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjIzOSwiYXVkIjpbImFkbWluIl0sImV4cCI6MTc3NjM2NTc0M30.50GYPjpzlAvt1nZfVKMa_dtflX2LZEIHVD6sAiatlWk";
const JSON_API: &str = "application/vnd.api+json";

fn operation() -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../specs/yeti/openapi.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    doc["paths"]["/api/rest/admin/services/{id}"]["put"].clone()
}

fn request_example() -> Value {
    let example = operation()["requestBody"]["content"][JSON_API]["example"].clone();
    assert!(
        !example.is_null(),
        "specs/yeti/openapi.yaml documents no request example"
    );
    example
}

fn response_example(status: &str) -> Value {
    let example = operation()["responses"][status]["content"][JSON_API]["example"].clone();
    assert!(
        !example.is_null(),
        "specs/yeti/openapi.yaml documents no {status} example"
    );
    example
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        // Retries have their own tests (resilience.rs): one attempt here.
        .retry(RetryPolicy::none())
        .base_url(server.uri())
        .api_key(JWT)
        .build()
        .unwrap()
}

/// A server answering every PUT with `status` and, when given, a JSON:API body.
async fn answering(status: u16, body: Option<Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response
            .insert_header("content-type", JSON_API)
            .set_body_json(body);
    }
    Mock::given(method("PUT"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// The documented request, built with the generated types.
fn documented_request() -> ServiceUpdateDocument {
    let mut variables = serde_json::Map::new();
    variables.insert("foo".into(), json!("bar"));
    ServiceUpdateDocument::new(ServiceUpdate::new(
        "11",
        ServiceUpdateAttributes::new()
            .name("name")
            .renew_price(Decimal::from_str("123.45").unwrap())
            .variables(
                variables
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            ),
    ))
}

#[tokio::test]
async fn documented_request_headers_and_body() {
    let server = answering(200, Some(response_example("200"))).await;
    client_for(&server)
        .await
        .update_service("11", &documented_request())
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/api/rest/admin/services/11");
    assert_eq!(request.headers["accept"], JSON_API);
    assert_eq!(request.headers["content-type"], JSON_API);
    // The token raw, with no "Bearer " prefix.
    assert_eq!(request.headers["authorization"], JWT);
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    // The spec says ids are strings; the vendor's page sends a number. We send
    // what the spec says, and the rest exactly as documented.
    let mut documented = request_example();
    documented["data"]["id"] = json!("11");
    assert_eq!(sent, documented);
    // 123.45 on the wire, as text, not 123.4500000001.
    let text = String::from_utf8(request.body.clone()).unwrap();
    assert!(text.contains("\"renew-price\":123.45"), "{text}");
}

/// A path parameter that would change the path is refused when the call is
/// awaited, before anything is sent, as the method's first failure.
#[tokio::test]
async fn a_refused_path_parameter_ends_the_call_before_sending() {
    let server = answering(200, Some(response_example("200"))).await;
    let client = client_for(&server).await;
    for id in ["..", ".", ""] {
        let err = client
            .update_service(id, &documented_request())
            .await
            .unwrap_err();
        let Error::Encode { operation, source } = &err else {
            panic!("expected an encoding error, got {err:?}");
        };
        assert_eq!(*operation, "update_service");
        assert!(
            matches!(source, EncodeError::PathSegment { name: "id", value } if value == id),
            "{source:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The call borrows only the client: its arguments may be gone before it is
/// awaited. It can move to another thread.
#[tokio::test]
async fn a_call_outlives_its_arguments() {
    let server = answering(200, Some(response_example("200"))).await;
    let client = client_for(&server).await;
    let call = {
        let id = String::from("11");
        let body = documented_request();
        client.update_service(&id, &body)
    };
    fn sendable<T: Send>(value: T) -> T {
        value
    }
    sendable(call).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/api/rest/admin/services/11");
}

#[test]
fn the_documented_request_reads_back_with_its_numeric_id() {
    let parsed: ServiceUpdateDocument = serde_json::from_value(request_example()).unwrap();
    assert_eq!(parsed.data.id, "11");
    assert_eq!(parsed.data.r#type, ServicesType::Services);
    assert_eq!(
        parsed.data.attributes.renew_price,
        Some(Decimal::new(12345, 2))
    );
    assert_eq!(parsed, documented_request());
}

#[tokio::test]
async fn documented_response_decodes_with_every_attribute() {
    let server = answering(200, Some(response_example("200"))).await;
    let response = client_for(&server)
        .await
        .update_service("11", &documented_request())
        .await
        .unwrap();
    let document: ServiceDocument = response.into_inner();
    let service = &document.data;
    assert_eq!(service.id, "11");
    let a = &service.attributes;
    assert_eq!(a.state, "Active");
    assert_eq!(
        a.initial_price,
        Nullable::Value(DecimalString::from_str("96.14").unwrap())
    );
    assert_eq!(a.renew_price.value().unwrap().to_string(), "123.45");
    assert_eq!(a.created_at.to_rfc3339(), "2026-04-16T15:18:43.780+00:00");
    assert_eq!(a.created_at.timestamp_millis(), 1_776_352_723_780);
    assert_eq!(a.renew_at, Nullable::Null);
    assert_eq!(a.renew_period.as_deref(), Some("Disabled"));
    assert_eq!(a.uuid.to_string(), "de90b416-fe52-43ae-a882-a45612f82b68");
    assert_eq!(a.variables.value().unwrap()["foo"], json!("bar"));
    let relationships = service.relationships.as_ref().unwrap();
    let account = relationships.account.as_ref().unwrap();
    assert_eq!(account.data.value().unwrap().id, "93");
    assert_eq!(account.data.value().unwrap().r#type, "accounts");
    let counters = relationships.package_counters.as_ref().unwrap();
    assert_eq!(
        counters.links.as_ref().unwrap().related.as_deref(),
        Some("http://example.org/api/rest/admin/services/11/package-counters")
    );
    // Decimal strings, the free-form object and every link round-trip unchanged.
    assert_eq!(
        serde_json::to_value(&document).unwrap(),
        response_example("200")
    );
}

/// The documented response written the way vendors send it: a number for the
/// string `id`, date-times without an offset, with a space or a lower-case `t`
/// and seven fraction digits, the UUID in upper case in braces.
#[tokio::test]
async fn a_response_written_loosely_decodes_and_goes_back_out_as_the_spec_says() {
    let mut loose = response_example("200");
    loose["data"]["id"] = json!(11);
    let attributes = &mut loose["data"]["attributes"];
    attributes["created-at"] = json!("2026-04-16 15:18:43.780");
    attributes["renew-at"] = json!("2026-05-16t15:18:43.9537857");
    attributes["uuid"] = json!("{DE90B416-FE52-43AE-A882-A45612F82B68}");
    let server = answering(200, Some(loose)).await;
    let document: ServiceDocument = client_for(&server)
        .await
        .update_service("11", &documented_request())
        .await
        .unwrap()
        .into_inner();
    let a = &document.data.attributes;
    assert_eq!(document.data.id, "11");
    // No offset sent: read as UTC, and it says so.
    assert!(!a.created_at.has_offset());
    assert_eq!(a.created_at.timestamp_millis(), 1_776_352_723_780);
    let renew = a.renew_at.value().unwrap();
    assert_eq!(renew.timestamp_subsec_nanos(), 953_785_700);
    assert_eq!(a.uuid.to_string(), "de90b416-fe52-43ae-a882-a45612f82b68");
    // What was read goes back out in the form the description asks for.
    let back = serde_json::to_value(&document).unwrap();
    assert_eq!(back["data"]["id"], json!("11"));
    assert_eq!(
        back["data"]["attributes"]["created-at"],
        json!("2026-04-16T15:18:43.780Z")
    );
    assert_eq!(
        back["data"]["attributes"]["renew-at"],
        json!("2026-05-16T15:18:43.953785700Z")
    );
    assert_eq!(
        back["data"]["attributes"]["uuid"],
        json!("de90b416-fe52-43ae-a882-a45612f82b68")
    );
}

#[test]
fn decimals_keep_their_digits_and_wire_form() {
    let price = Decimal::from_str("123.45").unwrap();
    assert_eq!(serde_json::to_string(&price).unwrap(), "123.45");
    let back: Decimal = serde_json::from_str("123.45").unwrap();
    assert_eq!(back, price);
    let from_text: Decimal = serde_json::from_str("\"123.45\"").unwrap();
    assert_eq!(from_text, price);
    let received: DecimalString = serde_json::from_str("\"0.10\"").unwrap();
    assert_eq!(serde_json::to_string(&received).unwrap(), "\"0.10\"");
    // Read model to write model: a received renew price sent back as a number.
    let resend = Decimal::from(DecimalString::from_str("123.45").unwrap());
    assert_eq!(serde_json::to_string(&resend).unwrap(), "123.45");
    let sum = *price + *Decimal::new(1, 2);
    assert_eq!(sum.to_string(), "123.46");
}

#[test]
fn the_write_model_offers_only_updatable_attributes() {
    // `additionalProperties: false`: state, uuid... cannot be sent.
    let mut attributes = ServiceUpdateAttributes::new().name("x");
    attributes
        .additional_properties
        .insert("state".into(), json!("Active"));
    let body = ServiceUpdateDocument::new(ServiceUpdate::new("11", attributes));
    let err = vendor_clients::runtime::Validate::validate(&body).unwrap_err();
    assert_eq!(err.0[0].path, "data.attributes.state");
}

#[tokio::test]
async fn empty_401_is_a_typed_error() {
    let server = answering(401, None).await;
    let err = client_for(&server)
        .await
        .update_service("11", &documented_request())
        .await
        .unwrap_err();
    let Error::Api { error, .. } = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(error.status.as_u16(), 401);
    assert!(error.body.is_none());
    assert!(error.raw.is_empty());
    assert!(
        !format!("{err:?}").contains(JWT),
        "the token leaked: {err:?}"
    );
    assert!(!err.to_string().contains(JWT));
}

#[tokio::test]
async fn json_api_422_with_a_source_pointer() {
    let server = answering(422, Some(response_example("422"))).await;
    let err = client_for(&server)
        .await
        .update_service("11", &documented_request())
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 422);
    let body = err.body().unwrap();
    let first = &body.errors[0];
    assert_eq!(first.status.as_deref(), Some("422"));
    assert_eq!(first.code.as_deref(), Some("100"));
    assert_eq!(
        first.source.as_ref().unwrap().pointer.as_deref(),
        Some("/data/attributes/renew-price")
    );
    assert_eq!(serde_json::to_value(body).unwrap(), response_example("422"));
}

#[test]
fn the_client_debug_output_hides_the_token() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .api_key(JWT)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(JWT), "{debug}");
}
