//! The generated Telegent client against a real HTTP server on loopback.
//!
//! Requests are built from the API documents' own examples (the JSON and cURL
//! code samples), read from `specs/telegent/`; responses and errors are the
//! documents' own examples, served by the loopback server.

#![cfg(feature = "telegent")]
// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use vendor_clients::runtime::{Error, Nullable, RetryPolicy};
use vendor_clients::telegent::{
    Client, NumbersUpdateRequest, NumbersUpdateRequestClassification,
    NumbersUpdateRequestProductType, UpdatePackageRequest, UpdateServiceRequest,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-123";

/// One operation of the documents: its spec file's parsed operation object.
fn operation(file: &str, spec_path: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../specs/telegent/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    let op = doc["paths"][spec_path]["post"].clone();
    assert!(op.is_object(), "{file} documents no POST {spec_path}");
    op
}

/// The JSON body of the `lang: JSON` code sample.
fn json_sample(op: &Value) -> Value {
    serde_json::from_str(code_sample(op, "JSON")).unwrap()
}

/// The source of the code sample in `lang`.
fn code_sample<'a>(op: &'a Value, lang: &str) -> &'a str {
    let samples = op["x-codeSamples"].as_array().unwrap();
    let sample = samples.iter().find(|s| s["lang"] == lang).unwrap();
    sample["source"].as_str().unwrap()
}

/// The body of the cURL sample's `-d '...'`.
fn curl_body(op: &Value) -> Value {
    let source = code_sample(op, "cURL");
    let start = source.find("-d '").unwrap() + 4;
    let end = source[start..].find('\'').unwrap() + start;
    serde_json::from_str(&source[start..end]).unwrap()
}

/// Every documented error status with its example body.
fn error_examples(op: &Value) -> Vec<(u16, Value)> {
    op["responses"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(code, _)| !code.starts_with('2'))
        .map(|(code, r)| {
            (
                code.parse().unwrap(),
                r["content"]["application/json"]["example"].clone(),
            )
        })
        .collect()
}

/// The `examples` values of the 200 response.
fn success_examples(op: &Value) -> Vec<Value> {
    op["responses"]["200"]["content"]["application/json"]["examples"]
        .as_object()
        .map(|e| e.values().map(|v| v["value"].clone()).collect())
        .unwrap_or_default()
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder()
        // Retries have their own tests (resilience.rs): one attempt here.
        .retry(RetryPolicy::none())
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

/// The one request the server received: method, path, headers and JSON body.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "expected exactly one request");
    received.into_iter().next().unwrap()
}

fn assert_documented_headers(request: &wiremock::Request) {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer test-token-123")
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("accept").as_deref(), Some("application/json"));
}

async fn serve(server: &MockServer, spec_path: &str, status: u16, body: Option<&Value>) {
    let mut template = ResponseTemplate::new(status);
    if let Some(body) = body {
        template = template.set_body_raw(serde_json::to_vec(body).unwrap(), "application/json");
    }
    Mock::given(method("POST"))
        .and(path(spec_path))
        .respond_with(template)
        .mount(server)
        .await;
}

#[test]
fn default_base_url_and_path_prefix_sent_once() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.telegent.com/v1.0");
    let client = Client::builder().bearer_token(TOKEN).build().unwrap();
    assert_eq!(client.base_url(), "https://api.telegent.com/v1.0");
}

#[tokio::test]
async fn update_service_sends_the_json_sample_and_returns_unit() {
    let op = operation("services-update.yaml", "/v1.0/services/update");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/services/update"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "abc"))
        .mount(&server)
        .await;
    let sample = json_sample(&op);
    let body: UpdateServiceRequest = serde_json::from_value(sample.clone()).unwrap();
    let response = client_for(&server)
        .await
        .update_service(&body)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["x-request-id"], "abc");
    let () = response.body;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1.0/services/update");
    assert_documented_headers(&request);
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        sample
    );
}

#[tokio::test]
async fn update_service_sends_exactly_the_curl_body_built_with_setters() {
    let op = operation("services-update.yaml", "/v1.0/services/update");
    let server = MockServer::start().await;
    serve(&server, "/v1.0/services/update", 200, None).await;
    let body = UpdateServiceRequest::new("SID-65d007be-8b49-45ac-b8ae-77b8d6a66c8b")
        .service_name("Caller Id");
    client_for(&server)
        .await
        .update_service(&body)
        .await
        .unwrap();
    let sent: Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
    // Two of four fields: the unset ones are not sent at all.
    assert_eq!(sent, curl_body(&op));
    assert_eq!(sent.as_object().unwrap().len(), 2);
}

#[tokio::test]
async fn update_package_round_trips_request_and_documented_response() {
    let op = operation("packages-update.yaml", "/v1.0/packages/update");
    let mut checked = 0;
    for sample in [json_sample(&op), curl_body(&op)] {
        for example in success_examples(&op) {
            let server = MockServer::start().await;
            serve(&server, "/v1.0/packages/update", 200, Some(&example)).await;
            let body: UpdatePackageRequest = serde_json::from_value(sample.clone()).unwrap();
            let response = client_for(&server)
                .await
                .update_package(&body)
                .await
                .unwrap();
            let request = only_request(&server).await;
            assert_eq!(request.url.path(), "/v1.0/packages/update");
            assert_documented_headers(&request);
            assert_eq!(
                serde_json::from_slice::<Value>(&request.body).unwrap(),
                sample
            );

            let decoded = response.into_inner();
            assert_eq!(decoded.package_name.as_deref(), Some("Package 5 Updated"));
            assert_eq!(decoded.price, Some(250));
            assert_eq!(decoded.monthly, Some(false));
            // Nothing lost: the decoded value serializes back to the example.
            assert_eq!(serde_json::to_value(&decoded).unwrap(), example);
            checked += 1;
        }
    }
    assert_eq!(
        checked, 2,
        "two request samples (JSON, cURL) times the one documented 200 example"
    );
}

#[tokio::test]
async fn numbers_update_sends_documented_enums_and_decodes_loose_response() {
    let op = operation("numbers-update.yaml", "/v1.0/numbers/update");
    let examples = success_examples(&op);
    assert_eq!(
        examples.len(),
        1,
        "numbers-update.yaml documents one 200 example under `examples`"
    );
    for example in examples {
        let server = MockServer::start().await;
        serve(&server, "/v1.0/numbers/update", 200, Some(&example)).await;
        let sample = json_sample(&op);
        let body = NumbersUpdateRequest::new("+18018018011")
            .message_enabled(true)
            .message_type(vendor_clients::telegent::NumbersUpdateRequestMessageType::P2p)
            .classification(NumbersUpdateRequestClassification::Mvno)
            .voice_enabled(true)
            .message_route_id("MRID-73af1e73-d7b3-4696-bdd9-5b407d9e99ee")
            .voice_route_id("CRID-4dec6beb-3985-444b-8c06-8baa5jjvawe")
            .assigned_subscriber_id("TSUID-d7b3-4696-bdd9-5b407d9e99ee-3985-444b8d")
            .iccid("8901240397190556232")
            .cnam_first_name("Test")
            .cnam_last_name("User")
            .product_type(NumbersUpdateRequestProductType::DataOnly);
        let response = client_for(&server)
            .await
            .numbers_update(&body)
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_documented_headers(&request);
        assert_eq!(
            serde_json::from_slice::<Value>(&request.body).unwrap(),
            sample
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&request.body).unwrap(),
            curl_body(&op)
        );

        let decoded = response.into_inner();
        assert_eq!(decoded.number.as_deref(), Some("+18018018011"));
        assert_eq!(
            decoded.tnid,
            Nullable::Null,
            "a documented null is kept apart from an absent field"
        );
        assert_eq!(decoded.update_order_status.as_deref(), Some("Complete"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), example);
    }
}

#[tokio::test]
async fn inferred_response_keeps_unknown_fields() {
    let server = MockServer::start().await;
    let body = json!({"Number": "+1", "NewField": {"nested": [1, 2]}});
    serve(&server, "/v1.0/numbers/update", 200, Some(&body)).await;
    let decoded = client_for(&server)
        .await
        .numbers_update(&NumbersUpdateRequest::new("+1"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        decoded.additional_properties["NewField"],
        json!({"nested": [1, 2]})
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[tokio::test]
async fn every_documented_error_decodes_into_the_one_error_type() {
    let cases = [
        ("services-update.yaml", "/v1.0/services/update"),
        ("packages-update.yaml", "/v1.0/packages/update"),
        ("numbers-update.yaml", "/v1.0/numbers/update"),
    ];
    let mut checked = 0;
    for (file, spec_path) in cases {
        let op = operation(file, spec_path);
        let sample = json_sample(&op);
        for (status, example) in error_examples(&op) {
            let server = MockServer::start().await;
            serve(&server, spec_path, status, Some(&example)).await;
            let client = client_for(&server).await;
            // All three operations share one error type: `ErrorResult`.
            let error: Error<vendor_clients::telegent::ErrorResult> = match spec_path {
                "/v1.0/services/update" => client
                    .update_service(&serde_json::from_value(sample.clone()).unwrap())
                    .await
                    .unwrap_err(),
                "/v1.0/packages/update" => client
                    .update_package(&serde_json::from_value(sample.clone()).unwrap())
                    .await
                    .unwrap_err(),
                _ => client
                    .numbers_update(&serde_json::from_value(sample.clone()).unwrap())
                    .await
                    .unwrap_err(),
            };
            let Error::Api {
                error, operation, ..
            } = error
            else {
                panic!("{status}: not an API error")
            };
            assert!(!operation.is_empty());
            assert_eq!(error.status.as_u16(), status);
            let body = error.body.expect("the documented error body parses");
            assert_eq!(
                i64::from(body.status_code),
                example["StatusCode"].as_i64().unwrap()
            );
            assert_eq!(body.message.as_deref(), example["Message"].as_str());
            assert_eq!(
                serde_json::from_slice::<Value>(&error.raw).unwrap(),
                example
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30, "ten documented error statuses per operation");
}

#[tokio::test]
async fn an_error_body_that_is_not_json_keeps_the_raw_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .await
        .update_service(&UpdateServiceRequest::new("SID-1"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    let Error::Api { error, .. } = error else {
        panic!("not an API error")
    };
    assert!(error.body.is_none());
    assert_eq!(&error.raw[..], b"<html>Bad Gateway</html>");
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[1, 2", "application/json"))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .await
        .update_package(&UpdatePackageRequest::new("PID-1"))
        .await
        .unwrap_err();
    let Error::Decode { status, raw, .. } = error else {
        panic!("not a decode error: {error:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(&raw[..], b"[1, 2");
}

#[test]
fn enums_keep_wire_names_and_unknown_values() {
    assert_eq!(
        serde_json::to_value(NumbersUpdateRequestProductType::SmsDataVoice).unwrap(),
        json!("Sms+Data+Voice")
    );
    assert_eq!(
        serde_json::to_value(NumbersUpdateRequestProductType::SmsOnly).unwrap(),
        json!("Sms-Only")
    );
    assert_eq!(
        serde_json::to_value(NumbersUpdateRequestClassification::IoT).unwrap(),
        json!("IoT")
    );
    let known: NumbersUpdateRequestProductType = serde_json::from_value(json!("Sms+Data")).unwrap();
    assert_eq!(known, NumbersUpdateRequestProductType::SmsData);
    let unknown: NumbersUpdateRequestProductType =
        serde_json::from_value(json!("Voice-Only")).unwrap();
    assert_eq!(unknown.as_str(), "Voice-Only");
    assert!(matches!(
        unknown,
        NumbersUpdateRequestProductType::Unknown(_)
    ));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("Voice-Only"));
    assert_eq!(
        NumbersUpdateRequestProductType::VALUES,
        ["Sms-Only", "Data-Only", "Sms+Data", "Sms+Data+Voice"]
    );
}

#[tokio::test]
async fn an_unknown_enum_value_is_not_sent() {
    let server = MockServer::start().await;
    let body = NumbersUpdateRequest::new("+18018018011").product_type(
        serde_json::from_value::<NumbersUpdateRequestProductType>(json!("Voice-Only")).unwrap(),
    );
    let err = client_for(&server)
        .await
        .numbers_update(&body)
        .await
        .unwrap_err();
    let Error::Invalid { violations, .. } = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(violations.0[0].path, "ProductType");
    assert_eq!(violations.0[0].value, "\"Voice-Only\"");
    assert!(err.to_string().contains("Sms+Data+Voice"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn credentials_never_show_in_debug_output() {
    let client = Client::builder()
        .bearer_token("super-secret-token")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("super-secret-token"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}
