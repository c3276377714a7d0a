//! Uploads from a file or a stream, without reading them into memory.

use fixtures::binary_upload_stream::{Client, UploadFileParams};
use fixtures::runtime::Upload;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().build()?; // base URL: https://files.example.com/v1
    let params = UploadFileParams::new();

    // Small bodies: bytes, as before.
    client.upload_file("notes.txt", &params, b"hello").await?;

    // A file: sent with its length, read as it is sent; retried like any PUT
    // (each attempt reads the file again).
    let file = Upload::file("video.mp4").await?;
    let stored = client
        .upload_file_stream("video.mp4", &params, file)
        .await?;
    println!("stored {} bytes", stored.body.size);

    // A stream (or `Upload::reader` for any `AsyncRead`): sent once, so never retried.
    let (pipe, mut writer) = tokio::io::duplex(64 << 10);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let _ = writer.write_all(b"generated as it is sent").await;
    });
    let upload = Upload::reader(pipe, None); // no length known: sent chunked
    client
        .upload_file_stream("log.txt", &params, upload)
        .await?;

    // Both ways: an image in from a file, the thumbnail back as a stream.
    let photo = Upload::file("photo.jpg").await?;
    let thumbnail = client.make_thumbnail_stream(Some(photo)).await?.body;
    let mut out = tokio::fs::File::create("thumbnail.png").await?;
    thumbnail.write_to(&mut out).await?;
    Ok(())
}
