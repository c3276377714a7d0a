//! What decoding and encoding through `runtime::object` costs at run time,
//! against serde's derives on the same fields: `cargo bench -p vendor-clients
//! --bench struct_serde`. Prints the median of 9 rounds of each, alternating,
//! and the ratio (ours / derived; below 1 is faster).

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use vendor_clients::petstore::{Category, Pet, PetStatus};

/// `Pet` as serde's derives write it, with the attributes the generator used.
#[derive(Debug, Deserialize, Serialize)]
struct DerivedPet {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "vendor_clients::runtime::lenient::option"
    )]
    id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<Category>,
    #[serde(deserialize_with = "vendor_clients::runtime::lenient::scalar")]
    name: String,
    #[serde(rename = "photoUrls")]
    #[serde(deserialize_with = "vendor_clients::runtime::lenient::list")]
    photo_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Category>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<PetStatus>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

fn document(pets: usize) -> String {
    let items: Vec<Value> = (0..pets)
        .map(|i| {
            let status = ["available", "pending", "sold"][i % 3];
            serde_json::json!({
                "id": i,
                "category": {"id": i % 7, "name": "dogs"},
                "name": format!("pet number {i}"),
                "photoUrls": ["https://example.com/a.jpg", "https://example.com/b.jpg"],
                "tags": [{"id": 1, "name": "good"}, {"id": 2, "name": "small"}],
                "status": status,
                "colour": "brown"
            })
        })
        .collect();
    serde_json::to_string(&items).unwrap()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time(f: &mut dyn FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    let json = document(20_000);
    let ours: Vec<Pet> = serde_json::from_str(&json).unwrap();
    let derived: Vec<DerivedPet> = serde_json::from_str(&json).unwrap();
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(&derived).unwrap()
    );
    let mb = json.len() as f64 / 1e6;
    let (mut decode_ours, mut decode_derived, mut encode_ours, mut encode_derived) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..9 {
        decode_ours.push(time(&mut || {
            black_box(serde_json::from_str::<Vec<Pet>>(black_box(&json)).unwrap());
        }));
        decode_derived.push(time(&mut || {
            black_box(serde_json::from_str::<Vec<DerivedPet>>(black_box(&json)).unwrap());
        }));
        encode_ours.push(time(&mut || {
            black_box(serde_json::to_vec(black_box(&ours)).unwrap());
        }));
        encode_derived.push(time(&mut || {
            black_box(serde_json::to_vec(black_box(&derived)).unwrap());
        }));
    }
    println!("{:.1} MB of JSON, 20,000 objects; median of 9", mb);
    for (what, ours, derived) in [
        ("decode", median(decode_ours), median(decode_derived)),
        ("encode", median(encode_ours), median(encode_derived)),
    ] {
        println!(
            "{what}: ours {:.1} ms ({:.0} MB/s), derived {:.1} ms ({:.0} MB/s), ratio {:.2}",
            ours.as_secs_f64() * 1e3,
            mb / ours.as_secs_f64(),
            derived.as_secs_f64() * 1e3,
            mb / derived.as_secs_f64(),
            ours.as_secs_f64() / derived.as_secs_f64()
        );
    }
}
