//! Typed async clients for our vendors' APIs.
//!
//! Each vendor is a module behind a cargo feature of the same name, generated
//! from `specs/<vendor>/` by `cargo xtask codegen`. [`runtime`] is the hand-written
//! part they share: building a client, sending requests with retries, timeouts
//! and rate limits, typed errors.

pub mod runtime;

// The vendor modules are generated and formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
mod vendors;
// Empty when the crate is built with no vendor feature.
#[allow(unused_imports)]
pub use vendors::*;
