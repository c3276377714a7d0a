//! Helpers shared by the runtime tests.

pub mod probe;
pub mod server;
