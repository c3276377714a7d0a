//! Contract tests: every operation of every vendor in `specs/`, sent by the
//! generated client to Prism, a validating mock server nobody here wrote.
//!
//! - Each documented request example (media-type `example`/`examples`,
//!   `x-codeSamples` JSON and cURL bodies) is sent; Prism runs with `--errors`, so
//!   a request that breaks the spec fails the call, and its `sl-violations`
//!   header must be absent. The answer must decode into the generated type.
//! - Each documented error status is forced with `Prefer: code=NNN` and must
//!   decode into the operation's typed error, equal as JSON to what Prism sent.
//! - Each cURL sample's body is sent by the generated client to a loopback server
//!   and compared, as JSON, with the sample's.
//!
//! Prism is `@stoplight/prism-cli`, pinned in `tests/prism/package-lock.json`:
//! `npm ci --prefix generated/tests/prism` installs it (the README's test command
//! does). The tests start and stop Prism themselves.

// Test helpers: a panic is the test failure message.
#![allow(clippy::unwrap_used)]

mod support;

use std::fmt::Debug;
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use vendor_clients::runtime::{ClientBuilder, Error, FromCore, Response, RetryPolicy};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A Prism mock server for one spec file, stopped when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(spec: &Path) -> Prism {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prism");
        let install = "run `npm ci --prefix generated/tests/prism` from the workspace root (the README's test command does)";
        if Command::new("node").arg("--version").output().is_err() {
            panic!(
                "the contract tests need Node.js 18.20 or newer and Prism: install Node.js \
                 (Debian: `apt-get install nodejs npm`), then {install}"
            );
        }
        let bin = dir.join("node_modules/.bin/prism");
        assert!(bin.exists(), "Prism is not installed: {install}");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log_path = std::env::temp_dir().join(format!("prism-{port}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        let child = Command::new(&bin)
            .args([
                "mock",
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .arg(spec)
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {install}", bin.display()));
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            let ready =
                std::fs::read_to_string(&log_path).is_ok_and(|l| l.contains("Prism is listening"));
            if ready && TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return prism;
            }
            let exited = prism.child.try_wait().unwrap();
            if exited.is_some() || started.elapsed() > Duration::from_secs(90) {
                let mut text = String::new();
                std::fs::File::open(&log_path)
                    .and_then(|mut f| f.read_to_string(&mut text))
                    .ok();
                panic!("Prism did not start for {}:\n{text}", spec.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one call came back with, the typed body as JSON.
#[derive(Debug)]
struct Outcome {
    status: u16,
    headers: HeaderMap,
    /// The decoded success body, or the typed error body, serialized back.
    typed: Option<Value>,
    /// The raw error body.
    raw: Vec<u8>,
}

fn outcome<T: Serialize, E: Serialize + Debug>(result: Result<Response<T>, Error<E>>) -> Outcome {
    match result {
        Ok(response) => Outcome {
            status: response.status.as_u16(),
            headers: response.headers,
            typed: Some(serde_json::to_value(&response.body).unwrap()),
            raw: Vec::new(),
        },
        Err(Error::Api { error, .. }) => Outcome {
            status: error.status.as_u16(),
            headers: error.headers,
            typed: error.body.map(|b| serde_json::to_value(b).unwrap()),
            raw: error.raw.to_vec(),
        },
        Err(other) => panic!("the call failed: {other}"),
    }
}

fn from<T: DeserializeOwned>(example: &Value) -> T {
    serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("the request example does not decode: {e}\n{example}"))
}

/// One operation of a spec file.
struct Operation {
    method: String,
    path: String,
    op: Value,
}

fn load(spec: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap()
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(op) = item.get(method) {
                out.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    op: op.clone(),
                });
            }
        }
    }
    out
}

/// The JSON body of a cURL command: the argument of `-d`, `--data` or `--data-raw`.
/// `None` when the command sends no body; a body that is not JSON is a test failure,
/// not a sample quietly left out.
fn curl_body(source: &str) -> Option<Value> {
    let body = curl_body_text(source)?;
    Some(serde_json::from_str(body).unwrap_or_else(|e| {
        panic!("a cURL sample's body is not JSON this test can read ({e}):\n{source}")
    }))
}

/// The text of a cURL command's body, quotes removed.
fn curl_body_text(source: &str) -> Option<&str> {
    let start = ["--data-raw ", "--data ", "-d "]
        .iter()
        .find_map(|flag| source.find(flag).map(|i| i + flag.len()))?;
    let rest = source[start..].trim_start();
    let quote = rest.chars().next()?;
    if quote == '\'' || quote == '"' {
        let end = rest[1..].find(quote)? + 1;
        Some(&rest[1..end])
    } else {
        rest.split_whitespace().next()
    }
}

fn code_samples(op: &Value) -> Vec<(String, String)> {
    op.get("x-codeSamples")
        .or_else(|| op.get("x-code-samples"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            Some((
                s.get("lang")?.as_str()?.to_ascii_lowercase(),
                s.get("source")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Every documented request body: media-type `example` and `examples`, then
/// `x-codeSamples` JSON and cURL bodies.
fn request_examples(op: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(content) = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        for (media, m) in content {
            if let Some(ex) = m.get("example") {
                out.push((format!("{media} example"), ex.clone()));
            }
            for (name, ex) in m
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(v) = ex.get("value") {
                    out.push((format!("{media} example `{name}`"), v.clone()));
                }
            }
        }
    }
    for (lang, source) in code_samples(op) {
        let body = match lang.as_str() {
            "json" => Some(serde_json::from_str(&source).unwrap_or_else(|e| {
                panic!("an x-codeSamples JSON sample is not JSON ({e}):\n{source}")
            })),
            "curl" | "shell" | "bash" => curl_body(&source),
            _ => None,
        };
        if let Some(body) = body {
            out.push((format!("x-codeSamples {lang}"), body));
        }
    }
    out
}

/// Documented error statuses with a number (`4XX` and `default` cannot be forced).
fn error_statuses(op: &Value) -> Vec<u16> {
    op["responses"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|code| code.parse::<u16>().ok())
        .filter(|code| *code >= 400)
        .collect()
}

fn success_statuses(op: &Value) -> Vec<u16> {
    op["responses"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|code| code.parse::<u16>().ok())
        .filter(|code| (200..300).contains(code))
        .collect()
}

/// Numbers equal by value; everything else exactly.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn builder<C: FromCore>(base: String, prefer: Option<u16>) -> ClientBuilder<C> {
    let mut headers = HeaderMap::new();
    if let Some(code) = prefer {
        headers.insert(
            "Prefer",
            HeaderValue::from_str(&format!("code={code}")).unwrap(),
        );
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    ClientBuilder::<C>::new(Some(&base))
        .http_client(http)
        .retry(RetryPolicy::none())
}

/// What was covered: lines for the test's output, and counts each vendor's test
/// checks, so that a spec read as having no operation, example or error status
/// cannot pass for a covered one.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    /// Operations called.
    operations: usize,
    /// Request bodies sent and accepted (documented, else the test's own).
    examples: usize,
    /// Error statuses forced and decoded.
    forced: usize,
}

/// Runs the contract for one spec file: `call` sends the operation at
/// (method, path) with a request example; `base` turns Prism's URL into the
/// client's base URL.
async fn contract<C: FromCore, F>(
    spec: &str,
    base: impl Fn(&str) -> String,
    credentials: impl Fn(ClientBuilder<C>) -> ClientBuilder<C>,
    fallback_body: impl Fn(&Operation) -> Option<Value>,
    call: F,
) -> Report
where
    F: AsyncFn(&C, &Operation, &Value) -> Outcome,
{
    let path = workspace().join("specs").join(spec);
    let prism = Prism::start(&path);
    let doc = load(&path);
    let mut report = Report::default();
    let all = operations(&doc);
    assert!(!all.is_empty(), "{spec}: no operation found under `paths`");
    for operation in all {
        let name = format!("{spec}: {} {}", operation.method, operation.path);
        let mut examples = request_examples(&operation.op);
        if examples.is_empty() {
            let body = fallback_body(&operation)
                .unwrap_or_else(|| panic!("{name}: no request example and no fallback"));
            examples.push(("a request built in the test (none documented)".into(), body));
        }
        let client = credentials(builder(base(&prism.url), None))
            .build()
            .unwrap();
        for (label, example) in &examples {
            let got = call(&client, &operation, example).await;
            let violations = got.headers.get("sl-violations");
            assert!(
                violations.is_none(),
                "{name}, {label}: Prism found violations: {violations:?}"
            );
            assert!(
                success_statuses(&operation.op).contains(&got.status),
                "{name}, {label}: answered {} ({})",
                got.status,
                String::from_utf8_lossy(&got.raw)
            );
        }
        let mut forced = Vec::new();
        for status in error_statuses(&operation.op) {
            let client = credentials(builder(base(&prism.url), Some(status)))
                .build()
                .unwrap();
            let got = call(&client, &operation, &examples[0].1).await;
            assert_eq!(got.status, status, "{name}: Prefer: code={status}");
            if got.raw.is_empty() {
                // Only a status documented without a body may come back empty;
                // otherwise the typed error would go unchecked.
                let response = &operation.op["responses"][status.to_string()];
                // OpenAPI 3 `content`, or a Swagger 2.0 `schema`.
                let documented = response
                    .get("content")
                    .and_then(Value::as_object)
                    .is_some_and(|content| !content.is_empty())
                    || response.get("schema").is_some();
                assert!(
                    !documented,
                    "{name}: Prism sent no body for {status}, whose response documents one"
                );
                assert!(got.typed.is_none());
            } else {
                let sent: Value = serde_json::from_slice(&got.raw).unwrap();
                let typed = got.typed.unwrap_or_else(|| {
                    panic!("{name}: the {status} body did not decode into the typed error: {sent}")
                });
                assert!(
                    same_json(&typed, &sent),
                    "{name}: the {status} body changed in decoding:\nsent:  {sent}\ntyped: {typed}"
                );
            }
            forced.push(status.to_string());
        }
        report.operations += 1;
        report.examples += examples.len();
        report.forced += forced.len();
        report.lines.push(format!(
            "{name}: {} request example(s) accepted; error statuses forced and typed: {}",
            examples.len(),
            if forced.is_empty() {
                "none documented".into()
            } else {
                forced.join(", ")
            }
        ));
    }
    drop(prism);
    report
}

/// Every cURL sample's body, sent by the generated client, arrives as written.
async fn curl_bodies<C: FromCore, F>(spec: &str, base: impl Fn(&str) -> String, call: F) -> usize
where
    F: AsyncFn(&C, &Operation, &Value) -> Outcome,
{
    let start = Instant::now();
    let server = support::server::Server::start(
        |_, _| support::server::Reply::Bytes(support::server::json(200, "{}")),
        move || start.elapsed(),
    )
    .await;
    let client = ClientBuilder::<C>::new(Some(&base(&server.url)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let doc = load(&workspace().join("specs").join(spec));
    let mut checked = 0;
    for operation in operations(&doc) {
        for (lang, source) in code_samples(&operation.op) {
            if !matches!(lang.as_str(), "curl" | "shell" | "bash") {
                continue;
            }
            let Some(body) = curl_body(&source) else {
                continue;
            };
            // The answer is the loopback server's, not the API's: only the request counts.
            let before = server.seen().len();
            let _ = call(&client, &operation, &body).await;
            let seen = server.seen();
            assert_eq!(
                seen.len(),
                before + 1,
                "{spec} {}: the call did not send the cURL sample's request exactly once",
                operation.path
            );
            let sent: Value = serde_json::from_slice(&seen.last().unwrap().body).unwrap();
            assert!(
                same_json(&sent, &body),
                "{spec} {}: sent {sent}, the cURL sample sends {body}",
                operation.path
            );
            checked += 1;
        }
    }
    checked
}

#[cfg(feature = "telegent")]
mod telegent {
    use super::*;
    use vendor_clients::telegent::Client;

    async fn call(client: &Client, operation: &Operation, body: &Value) -> Outcome {
        match operation.path.as_str() {
            "/v1.0/services/update" => outcome(client.update_service(&from(body)).await),
            "/v1.0/packages/update" => outcome(client.update_package(&from(body)).await),
            "/v1.0/numbers/update" => outcome(client.numbers_update(&from(body)).await),
            other => panic!("{other}: not covered by the contract test; add it here"),
        }
    }

    fn telegent_base(url: &str) -> String {
        format!("{url}/v1.0")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_operation_against_prism() {
        for spec in [
            "services-update.yaml",
            "packages-update.yaml",
            "numbers-update.yaml",
        ] {
            let report = contract::<Client, _>(
                &format!("telegent/{spec}"),
                telegent_base,
                |b| b.bearer_token("contract-token"),
                |_| None,
                call,
            )
            .await;
            for line in &report.lines {
                println!("{line}");
            }
            assert_eq!(
                (report.operations, report.examples, report.forced),
                (1, 2, 10),
                "telegent/{spec}: operations, request examples (JSON and cURL samples) and \
                 error statuses (400 to 504) covered"
            );
            let curl =
                curl_bodies::<Client, _>(&format!("telegent/{spec}"), telegent_base, call).await;
            assert_eq!(curl, 1, "{spec}: its one cURL sample was checked");
            println!("telegent/{spec}: {curl} cURL body(ies) sent exactly");
        }
    }
}

#[cfg(feature = "katana")]
mod katana {
    use super::*;
    use vendor_clients::katana::Client;

    async fn call(client: &Client, operation: &Operation, body: &Value) -> Outcome {
        match (operation.method.as_str(), operation.path.as_str()) {
            ("PATCH", "/services/{id}") => outcome(client.update_service(1, &from(body)).await),
            (method, path) => {
                panic!("{method} {path}: not covered by the contract test; add it here")
            }
        }
    }

    /// Katana documents no request example: every field of the schema, each
    /// within its rules (`sales_price: null` clears a price).
    fn body(_: &Operation) -> Option<Value> {
        Some(serde_json::json!({
            "name": "Service name",
            "uom": "pcs",
            "category_name": "Service",
            "additional_info": "additional info",
            "is_sellable": true,
            "is_archived": false,
            "sales_price": null,
            "default_cost": 12.5,
            "sku": "S-2486",
            "custom_field_collection_id": 1
        }))
    }

    /// The check above can fail: a body the generated client would refuse (an
    /// 8-character `uom`), sent around it, is answered 422 with `sl-violations`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn prism_reports_a_request_that_breaks_the_spec() {
        use vendor_clients::runtime::{Auth, Method, Request};
        let prism = Prism::start(&workspace().join("specs/katana/openapi.yaml"));
        let probe = builder::<support::probe::Probe>(prism.url.clone(), None)
            .bearer_token("contract-token")
            .build()
            .unwrap();
        let mut request = Request::new("update_service", Method::PATCH, "/services/{id}");
        request.path("/services/1");
        request.security = &[&[Auth::Bearer]];
        request.json_body("application/json", &serde_json::json!({"uom": "boxes-10"}));
        let error = probe.send(request).await.unwrap_err();
        let Error::Api { error, .. } = error else {
            panic!("not an API error: {error}")
        };
        assert_eq!(error.status.as_u16(), 422);
        let violations = error.headers["sl-violations"].to_str().unwrap();
        assert!(violations.contains("uom"), "{violations}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_operation_against_prism() {
        let report = contract::<Client, _>(
            "katana/openapi.yaml",
            |url| url.to_string(),
            |b| b.bearer_token("contract-token"),
            body,
            call,
        )
        .await;
        for line in &report.lines {
            println!("{line}");
        }
        assert_eq!(
            (report.operations, report.examples, report.forced),
            (1, 1, 4),
            "katana: operations, request bodies (the test's own: none documented) and \
             error statuses (401, 422, 429, 500) covered"
        );
    }
}

#[cfg(feature = "yeti")]
mod yeti {
    use super::*;
    use vendor_clients::yeti::Client;

    async fn call(client: &Client, operation: &Operation, body: &Value) -> Outcome {
        match (operation.method.as_str(), operation.path.as_str()) {
            ("PUT", "/api/rest/admin/services/{id}") => {
                outcome(client.update_service("11", &from(body)).await)
            }
            (method, path) => {
                panic!("{method} {path}: not covered by the contract test; add it here")
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_operation_against_prism() {
        let report = contract::<Client, _>(
            "yeti/openapi.yaml",
            |url| url.to_string(),
            |b| b.api_key("eyJ.contract.token"),
            |_| None,
            call,
        )
        .await;
        for line in &report.lines {
            println!("{line}");
        }
        assert_eq!(
            (report.operations, report.examples, report.forced),
            (1, 1, 6),
            "yeti: operations, request examples and error statuses (400, 401, 403, 404, \
             422, 500) covered"
        );
    }
}

/// The Swagger 2.0 test vendor: Prism reads the 2.0 document itself, so it
/// checks what the generator made of `body` and `formData` parameters,
/// `collectionFormat` and API keys in a header and the query.
#[cfg(feature = "petstore")]
mod petstore {
    use super::*;
    use vendor_clients::petstore::Client;

    async fn call(client: &Client, operation: &Operation, body: &Value) -> Outcome {
        match (operation.method.as_str(), operation.path.as_str()) {
            ("POST", "/pet") => outcome(client.add_pet(&from(body)).await),
            ("GET", "/pet/findByStatus") => outcome(client.find_pets_by_status(&from(body)).await),
            ("GET", "/pet/findByTags") => outcome(client.find_pets_by_tags(&from(body)).await),
            ("GET", "/pet/{petId}") => outcome(client.get_pet_by_id(10).await),
            ("POST", "/pet/{petId}") => outcome(client.update_pet_with_form(10, &from(body)).await),
            (method, path) => {
                panic!("{method} {path}: not covered by the contract test; add it here")
            }
        }
    }

    /// Swagger 2.0 has no request examples the harness reads: the body
    /// parameter's `x-example`, else what the test sends (the parameters struct
    /// for a GET, as JSON).
    fn body(operation: &Operation) -> Option<Value> {
        let body_example = operation.op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["in"] == "body")
            .and_then(|p| p.get("x-example"));
        if let Some(example) = body_example {
            return Some(example.clone());
        }
        Some(match operation.path.as_str() {
            // Two values each: `multi` repeats the parameter, `csv` joins them.
            "/pet/findByStatus" => serde_json::json!({"status": ["available", "sold"]}),
            "/pet/findByTags" => serde_json::json!({"tags": ["friendly", "small"]}),
            "/pet/{petId}" if operation.method == "POST" => {
                serde_json::json!({"name": "doggie", "status": "sold"})
            }
            _ => Value::Null,
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_operation_against_prism() {
        let report = contract::<Client, _>(
            "petstore/swagger.yaml",
            |url| url.to_string(),
            |b| b.api_key("contract-key"),
            body,
            call,
        )
        .await;
        for line in &report.lines {
            println!("{line}");
        }
        assert_eq!(
            (report.operations, report.examples, report.forced),
            (5, 5, 5),
            "petstore: operations, request bodies (one each: an x-example or the test's own) \
             and error statuses (400, 404, 405) covered"
        );
    }

    /// The check above can fail: a `multi` query array sent comma-separated is
    /// not what the 2.0 document says, and Prism answers 400 (a bad parameter)
    /// with `sl-violations`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn prism_reports_a_query_array_in_the_wrong_collection_format() {
        use vendor_clients::runtime::{Auth, Method, QueryStyle, Request};
        let prism = Prism::start(&workspace().join("specs/petstore/swagger.yaml"));
        let probe = builder::<support::probe::Probe>(prism.url.clone(), None)
            .api_key("contract-key")
            .build()
            .unwrap();
        let mut request = Request::new("find_pets_by_status", Method::GET, "/pet/findByStatus");
        request.path("/pet/findByStatus");
        request.security = &[&[Auth::ApiKeyHeader("api_key")]];
        request.query_with("status", &["available,sold"], QueryStyle::Form);
        let error = probe.send(request).await.unwrap_err();
        let Error::Api { error, .. } = error else {
            panic!("not an API error: {error}")
        };
        assert_eq!(error.status.as_u16(), 400);
        let violations = error.headers["sl-violations"].to_str().unwrap();
        assert!(violations.contains("status"), "{violations}");
    }
}
