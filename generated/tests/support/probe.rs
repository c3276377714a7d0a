//! A client of made-up operations, to drive the runtime with any request.

#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde_json::Value;
use vendor_clients::runtime::{
    ClientCore, Error, FromCore, Request, Response, decode_error_json, decode_json,
};

/// Sends whatever request a test builds; JSON in, JSON out.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The runtime's client.
    pub core: ClientCore,
}

impl FromCore for Probe {
    fn from_core(core: ClientCore) -> Self {
        Probe { core }
    }
}

impl Probe {
    /// Sends `request`, decoding both success and error bodies as JSON values.
    pub async fn send(&self, request: Request) -> Result<Response<Value>, Error<Value>> {
        self.core
            .execute(request, decode_json::<Value>, decode_error_json::<Value>)
            .await
    }

    /// Sends `request`, decoding a success body as `T` the way a generated
    /// method decodes its documented type.
    pub async fn send_as<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error<Value>> {
        self.core
            .execute(request, decode_json::<T>, decode_error_json::<Value>)
            .await
    }
}
