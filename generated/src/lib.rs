//! Typed async clients for our vendors' APIs.
//!
//! Each vendor is a module behind a cargo feature of the same name, generated
//! from `specs/<vendor>/` by `cargo xtask codegen`. [`runtime`] is the hand-written
//! part they share: building a client, sending requests, typed errors.

pub mod runtime;

// The vendor modules are generated and formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
mod vendors;
pub use vendors::*;
