//! Helpers shared by the runtime tests.

pub mod clock;
pub mod probe;
pub mod server;
