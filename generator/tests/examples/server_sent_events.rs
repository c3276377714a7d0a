//! Server-sent events as a stream of typed events, and an operation that answers
//! JSON or a stream depending on its body's `stream` flag.

use fixtures::server_sent_events::{Client, WatchTicksParams};
use fixtures::sse_or_json_stream_flag::{Client as Completions, CompletionRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().build()?; // base URL: https://events.example.com

    // Each event's data is decoded as the API description says (here `Tick`);
    // `event`, `id` and `retry` are kept. A dropped connection is resumed with
    // `Last-Event-ID` when the server gave an `id:` or `retry:`; the stream ends
    // when the server ends the body (or sends `data: [DONE]`).
    let mut ticks = client
        .watch_ticks_stream(&WatchTicksParams::new("ACME"))
        .await?
        .body;
    while let Some(event) = ticks.next().await {
        let event = event?; // an error item: data that did not decode, or a failure
        println!(
            "{} {:?}: {} at {}",
            event.event, event.id, event.data.symbol, event.data.price
        );
    }

    // Both forms of one operation: JSON, or events when `stream` is true.
    let llm = Completions::builder().bearer_token("sk-…").build()?;
    let request = CompletionRequest::new("Write a haiku");
    let whole = llm.create_completion(&request).await?.into_inner();
    println!("{}", whole.text);
    // The streaming form sets `stream: true` itself.
    let mut chunks = llm.create_completion_stream(&request).await?.body;
    while let Some(chunk) = chunks.next().await {
        print!("{}", chunk?.data.delta);
    }
    Ok(())
}
