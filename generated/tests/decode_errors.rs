//! A success body that does not decode as the documented type, against a
//! scripted HTTP server on loopback: `Error::Decode` says where (a JSON pointer),
//! what the type expected and what arrived, cut short; a body that is not JSON
//! says where parsing stopped; and the whole body stays reachable through
//! `Error::body_as`.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};
use support::probe::Probe;
use support::server::{Reply, Server, response};
use vendor_clients::runtime::{
    ClientBuilder, DecodeError, DecodeProblem, Error, Method, Request, RetryPolicy,
};

/// A server answering every request with `status`, `content_type` and `body`.
async fn answering(status: u16, content_type: &'static str, body: Vec<u8>) -> Server {
    let start = Instant::now();
    Server::start(
        move |_, _| Reply::Bytes(response(status, &[("Content-Type", content_type)], &body)),
        move || start.elapsed(),
    )
    .await
}

async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call ended on its own")
}

/// The error of a call that must fail with `Error::Decode`.
fn decode_error<E: std::fmt::Debug, T>(result: Result<T, Error<E>>) -> Error<E> {
    match result {
        Ok(_) => panic!("the call succeeded"),
        Err(error @ Error::Decode { .. }) => error,
        Err(other) => panic!("not a decode error: {other}"),
    }
}

/// Where and why `error`, an `Error::Decode`, did not decode.
fn source<E: std::fmt::Debug>(error: &Error<E>) -> &DecodeError {
    match error {
        Error::Decode { source, .. } => source,
        other => panic!("not a decode error: {other}"),
    }
}

/// A listing, decoded the way a generated method decodes its documented type.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Listing {
    data: Vec<Entry>,
    #[serde(default)]
    index: BTreeMap<String, Entry>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Entry {
    id: i64,
    tags: Vec<String>,
}

async fn list(body: &str) -> Result<Listing, Error<Value>> {
    let server = answering(200, "application/json", body.as_bytes().to_vec()).await;
    let probe = ClientBuilder::<Probe>::new(Some(&server.url))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut request = Request::new("list_entries", Method::GET, "/entries");
    request.path("/entries");
    bounded(probe.send_as::<Listing>(request))
        .await
        .map(|r| r.body)
}

#[tokio::test]
async fn a_wrong_type_deep_in_an_array_is_named_with_its_pointer() {
    let body = json!({"data": [
        {"id": 1, "tags": []},
        {"id": 2, "tags": ["a"]},
        {"id": 3, "tags": ["b", "c"]},
        {"id": 4, "tags": ["d", "e", {"seventy characters of text": "x".repeat(40)}]},
    ]})
    .to_string();
    let error = decode_error(list(&body).await);
    assert!(matches!(
        error,
        Error::Decode {
            operation: "list_entries",
            ..
        }
    ));
    let decode = source(&error);
    assert_eq!(decode.path, "/data/3/tags/2");
    assert_eq!(decode.expected(), Some("a string"));
    let found = r#"{"seventy characters of text":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"#;
    assert_eq!(found.chars().count(), 61);
    assert_eq!(decode.found(), Some(found));
    assert_eq!(
        error.to_string(),
        format!(
            "list_entries: the 200 response body did not decode at /data/3/tags/2: expected a string, found {found}"
        )
    );
    // The parts that decoded are still there, all of them.
    let whole: Value = error.body_as().unwrap().unwrap();
    assert_eq!(whole, serde_json::from_str::<Value>(&body).unwrap());
    assert_eq!(error.raw_body(), Some(body.as_bytes()));
}

#[tokio::test]
async fn a_key_with_a_slash_or_tilde_is_escaped_in_the_pointer() {
    let body = r#"{"data": [], "index": {"a/b": {"id": 1, "tags": []}, "~home": {"id": "2", "tags": []}}}"#;
    let error = decode_error(list(body).await);
    let path = &source(&error).path;
    assert_eq!(path, "/index/~0home/id");
    assert_eq!(
        source(&error).problem,
        DecodeProblem::Mismatch {
            expected: "i64".into(),
            found: r#""2""#.into()
        }
    );
    let whole: Value = error.body_as().unwrap().unwrap();
    assert_eq!(whole.pointer(path), Some(&json!("2")));
}

#[tokio::test]
async fn a_missing_required_field_is_named_at_its_object() {
    let error = decode_error(list(r#"{"data": [{"id": 1, "tags": []}, {"id": 2}]}"#).await);
    assert_eq!(source(&error).path, "/data/1");
    assert_eq!(
        source(&error).problem,
        DecodeProblem::MissingField {
            field: "tags".into()
        }
    );
    assert_eq!(
        error.to_string(),
        r#"list_entries: the 200 response body did not decode at /data/1: missing field "tags""#
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_says_where_parsing_stopped() {
    let page =
        "<html><head><title>Maintenance</title></head><body>Back soon, we promise</body></html>";
    let server = answering(200, "text/html", page.as_bytes().to_vec()).await;
    let probe = ClientBuilder::<Probe>::new(Some(&server.url))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut request = Request::new("list_entries", Method::GET, "/entries");
    request.path("/entries");
    let error = decode_error(bounded(probe.send_as::<Listing>(request)).await);
    let near = "<html><head><title>Maintenance</title></head><body>Back soon…";
    assert_eq!(
        source(&error).problem,
        DecodeProblem::NotJson {
            reason: "expected value".into(),
            line: 1,
            column: 1,
            near: near.into(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "list_entries: the 200 response body ({} bytes of text/html) is not JSON: expected value at line 1 column 1, near `{near}`",
            page.len()
        )
    );
    assert_eq!(source(&error).path, "");
    assert!(error.body_as::<Value>().unwrap().is_err());
    assert_eq!(error.raw_body(), Some(page.as_bytes()));
}

/// Yeti's documented response, broken one field at a time: the generated client
/// decodes with the generated types.
#[cfg(feature = "yeti")]
mod yeti {
    use super::*;
    use vendor_clients::yeti::{
        Client, ServiceUpdate, ServiceUpdateAttributes, ServiceUpdateDocument,
    };

    const JSON_API: &str = "application/vnd.api+json";

    fn documented_response() -> Value {
        let text = std::fs::read_to_string(format!(
            "{}/../specs/yeti/openapi.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let doc: Value = serde_yaml::from_str(&text).unwrap();
        let example =
            doc["paths"]["/api/rest/admin/services/{id}"]["put"]["responses"]["200"]["content"]
                [JSON_API]["example"]
                .clone();
        assert!(example["data"]["attributes"].is_object(), "no 200 example");
        example
    }

    /// The error of `update_service` answered with `body`.
    async fn update(body: &Value) -> Error<vendor_clients::yeti::ErrorDocument> {
        let server = answering(200, JSON_API, body.to_string().into_bytes()).await;
        let client = Client::builder()
            .retry(RetryPolicy::none())
            .base_url(&server.url)
            .api_key("token")
            .build()
            .unwrap();
        let request = ServiceUpdateDocument::new(ServiceUpdate::new(
            "11",
            ServiceUpdateAttributes::new().name("name"),
        ));
        decode_error(bounded(client.update_service("11", &request)).await)
    }

    #[tokio::test]
    async fn the_documented_response_decodes() {
        // The fixture the other tests break decodes as it is.
        let server = answering(
            200,
            JSON_API,
            documented_response().to_string().into_bytes(),
        )
        .await;
        let client = Client::builder()
            .base_url(&server.url)
            .api_key("token")
            .build()
            .unwrap();
        let request =
            ServiceUpdateDocument::new(ServiceUpdate::new("11", ServiceUpdateAttributes::new()));
        let answer = bounded(client.update_service("11", &request))
            .await
            .unwrap();
        assert_eq!(answer.body.data.attributes.state, "Active");
    }

    #[tokio::test]
    async fn a_wrong_type_in_a_relationship_list() {
        let mut body = documented_response();
        body["data"]["relationships"]["transactions"]["data"] = json!([
            {"type": "transactions", "id": "1"},
            {"type": "transactions", "id": {"nested": [1, 2, 3]}},
        ]);
        let error = update(&body).await;
        let decode = source(&error);
        assert_eq!(decode.path, "/data/relationships/transactions/data/1/id");
        assert_eq!(decode.expected(), Some("a string"));
        assert_eq!(decode.found(), Some(r#"{"nested":[1,2,3]}"#));
        assert_eq!(
            error.to_string(),
            r#"update_service: the 200 response body did not decode at /data/relationships/transactions/data/1/id: expected a string, found {"nested":[1,2,3]}"#
        );
        assert_eq!(error.body_as::<Value>().unwrap().unwrap(), body);
    }

    #[tokio::test]
    async fn a_missing_required_attribute() {
        let mut body = documented_response();
        body["data"]["attributes"]
            .as_object_mut()
            .unwrap()
            .remove("name");
        let error = update(&body).await;
        assert_eq!(
            error.to_string(),
            r#"update_service: the 200 response body did not decode at /data/attributes: missing field "name""#
        );
        assert_eq!(error.body_as::<Value>().unwrap().unwrap(), body);
    }

    /// A `null` in a required, non-nullable field fails the call: the types
    /// promise a value there. The rest of the body is one `body_as` away.
    #[tokio::test]
    async fn null_in_a_required_attribute_fails_and_the_rest_is_reachable() {
        let mut body = documented_response();
        body["data"]["attributes"]["state"] = Value::Null;
        let error = update(&body).await;
        let decode = source(&error);
        assert_eq!(decode.path, "/data/attributes/state");
        assert_eq!(
            decode.problem,
            DecodeProblem::Mismatch {
                expected: "a string".into(),
                found: "null".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "update_service: the 200 response body did not decode at /data/attributes/state: expected a string, found null"
        );
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
        let whole: Value = error.body_as().unwrap().unwrap();
        assert_eq!(whole, body);
        assert_eq!(whole["data"]["attributes"]["name"], "name");
        // Or as a type of the caller's own, lenient where they choose.
        #[derive(Deserialize)]
        struct Loose {
            data: LooseData,
        }
        #[derive(Deserialize)]
        struct LooseData {
            id: String,
            attributes: BTreeMap<String, Value>,
        }
        let loose: Loose = error.body_as().unwrap().unwrap();
        assert_eq!(loose.data.id, "11");
        assert_eq!(loose.data.attributes["state"], Value::Null);
    }

    #[tokio::test]
    async fn a_date_time_that_does_not_parse() {
        let mut body = documented_response();
        body["data"]["attributes"]["created-at"] = json!("yesterday");
        let error = update(&body).await;
        let decode = source(&error);
        assert_eq!(decode.path, "/data/attributes/created-at");
        assert_eq!(decode.found(), Some(r#""yesterday""#));
        assert_eq!(decode.expected(), Some("a date-time"));
        assert_eq!(
            error.to_string(),
            r#"update_service: the 200 response body did not decode at /data/attributes/created-at: expected a date-time, found "yesterday""#
        );
    }
}
