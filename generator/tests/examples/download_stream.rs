//! A download of any size, streamed to a file: memory stays flat whatever the
//! size, and the body limit and attempt timeout apply to each chunk.

use fixtures::binary_download_stream::{Client, GetReportParams};
use fixtures::runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder() // base URL: https://files.example.com/v1
        .max_body_bytes(1 << 20) // no chunk longer than 1 MiB; the file may be any size
        .build()?;

    // The plain method reads the body whole (up to the limit): for small files.
    // Its streaming form hands the body over as it arrives (`…_stream_2`: this
    // fixture has an operation of its own named `downloadFileStream`).
    let response = client.download_file_stream_2("backup-2024.tar").await?;
    println!("{:?} bytes coming", response.body.content_length());
    let mut file = tokio::fs::File::create("backup-2024.tar").await?;
    let written = response.body.write_to(&mut file).await?;
    println!("saved {written} bytes");

    // Chunk by chunk (a `futures::Stream` too), or `into_reader()` for an `AsyncRead`.
    let mut report = client
        .get_report_stream(7, &GetReportParams::new())
        .await?
        .body;
    while let Some(chunk) = report.next().await {
        match chunk {
            Ok(bytes) => println!("{} bytes", bytes.len()),
            // Cut off, or no chunk within the attempt timeout: what arrived stays yours.
            Err(e) => return Err(e.into()),
        }
    }

    // A non-success status is read whole and typed, as for any call.
    if let Err(Error::Api { error, .. }) = client.download_file_stream_2("missing").await {
        println!("{}: {:?}", error.status, error.body.map(|p| p.title));
    }
    Ok(())
}
