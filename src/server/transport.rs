//! The server's side of the wire: LSP messages framed on a byte stream (`Content-Length`
//! headers, then a JSON body), read and written by threads of our own that feed
//! lsp-server's [`Connection`] through its in-memory channels.
//!
//! lsp-server's own stdio transport ends the session at the first message it cannot read
//! (malformed JSON, invalid UTF-8, a lone `\ud800` escape) and allocates whatever a
//! `Content-Length` says before reading the body. Here bad input costs one message: the
//! client gets an error response when the message's id can be found, else a
//! `window/logMessage`, and the server keeps serving. A body over
//! [`MAX_MESSAGE_BYTES`] is read past without being kept.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::{LogMessageParams, MessageType};
use serde_json::Value;

/// The largest message body read: a document's full text is sent in one message, and a
/// bot's files are far smaller than this.
pub const MAX_MESSAGE_BYTES: u64 = 64 << 20;

/// The longest header line read; real headers are a few dozen bytes.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// The transport's threads, joined once the connection is dropped.
pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads; the reader ends at `exit` or when the input ends, the
    /// writer when every sender of the connection is gone.
    pub fn join(self) -> io::Result<()> {
        let reader = self.reader.join();
        let writer = self.writer.join();
        for joined in [reader, writer] {
            joined.map_err(|_| io::Error::other("a transport thread panicked"))??;
        }
        Ok(())
    }
}

/// The server's end of a connection whose messages are read from `input` and written to
/// `output`.
pub fn connect(
    input: impl BufRead + Send + 'static,
    output: impl Write + Send + 'static,
) -> io::Result<(Connection, Threads)> {
    let (server, client) = Connection::memory();
    let outgoing = client.receiver;
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_messages(outgoing, output))?;
    // The reader's own answers (to messages it cannot pass on) go out with the server's.
    let replies = server.sender.clone();
    let incoming = client.sender;
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            read_messages(
                input,
                |m| incoming.send(m).is_ok(),
                |m| replies.send(m).is_ok(),
            )
        })?;
    Ok((server, Threads { reader, writer }))
}

fn write_messages(
    outgoing: impl IntoIterator<Item = Message>,
    mut output: impl Write,
) -> io::Result<()> {
    for message in outgoing {
        message.write(&mut output)?;
    }
    Ok(())
}

/// Passes every message read to `deliver` and answers those that cannot be read through
/// `reply`, until `exit` is passed on, the input ends or the other side is gone.
fn read_messages(
    mut input: impl BufRead,
    deliver: impl Fn(Message) -> bool,
    reply: impl Fn(Message) -> bool,
) -> io::Result<()> {
    loop {
        let read = match read_frame(&mut input)? {
            Frame::End => return Ok(()),
            Frame::Body(body) => decode(&body),
            Frame::TooLarge(length) => {
                let refusal = Problem::log(format!(
                    "a message of {length} bytes was refused unread (the limit is {} MiB)",
                    MAX_MESSAGE_BYTES >> 20
                ));
                if !reply(refusal.into_message()) || !skip(&mut input, length)? {
                    return Ok(());
                }
                continue;
            }
            Frame::Unframed(why) => Err(Problem::log(why)),
        };
        let sent = match read {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                deliver(message) && !exit
            }
            Err(problem) => reply(problem.into_message()),
        };
        if !sent {
            return Ok(());
        }
    }
}

/// One message's bytes as the stream delimits them.
enum Frame {
    Body(Vec<u8>),
    /// A body longer than [`MAX_MESSAGE_BYTES`], not read yet.
    TooLarge(u64),
    /// Headers without a usable `Content-Length`: no body can be delimited, so the
    /// stream is read on from the next line.
    Unframed(String),
    End,
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length = Err("a message without a Content-Length header".to_string());
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(Frame::End);
        }
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            let value = value.trim();
            length = value
                .parse::<u64>()
                .map_err(|_| format!("a Content-Length of `{value}` is no length"));
        }
        // Other headers (Content-Type) and lines that are no header are passed over.
    }
    let length = match length {
        Ok(length) if length > MAX_MESSAGE_BYTES => return Ok(Frame::TooLarge(length)),
        Ok(length) => length,
        Err(why) => return Ok(Frame::Unframed(why)),
    };
    // Grown as bytes arrive, not allocated on the header's word.
    let mut body = Vec::with_capacity(length.min(1 << 20) as usize);
    input.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(Frame::End);
    }
    Ok(Frame::Body(body))
}

/// Reads past `length` bytes without keeping them; `false` when the input ends first.
fn skip(input: &mut impl BufRead, length: u64) -> io::Result<bool> {
    let skipped = io::copy(&mut input.by_ref().take(length), &mut io::sink())?;
    Ok(skipped == length)
}

/// Why a message was not passed on, and to whom to say it.
struct Problem {
    /// The request's id, when it could be found: the answer is then an error response.
    id: Option<RequestId>,
    code: ErrorCode,
    message: String,
}

impl Problem {
    fn log(message: String) -> Problem {
        Problem {
            id: None,
            code: ErrorCode::ParseError,
            message,
        }
    }

    fn into_message(self) -> Message {
        let message = format!("rasalint: {}", self.message);
        match self.id {
            Some(id) => Response::new_err(id, self.code as i32, message).into(),
            None => {
                let params = LogMessageParams {
                    typ: MessageType::ERROR,
                    message,
                };
                Notification::new("window/logMessage".into(), params).into()
            }
        }
    }
}

/// A message from its body. Lone UTF-16 surrogates in `\u` escapes, which JavaScript
/// clients write for a lone surrogate in a document, are read as U+FFFD.
fn decode(body: &[u8]) -> Result<Message, Problem> {
    if let Ok(message) = serde_json::from_slice(body) {
        return Ok(message);
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            return Err(Problem {
                id: request_id(&String::from_utf8_lossy(body)),
                code: ErrorCode::ParseError,
                message: format!(
                    "the message is not UTF-8: byte {} is not valid",
                    e.valid_up_to()
                ),
            });
        }
    };
    let text = without_lone_surrogates(text).map_or(Cow::Borrowed(text), Cow::Owned);
    match serde_json::from_str::<Value>(&text) {
        Err(e) => Err(Problem::log(format!("the message is not JSON: {e}"))),
        Ok(value) => serde_json::from_value(value).map_err(|e| Problem {
            id: request_id(&text),
            code: ErrorCode::InvalidRequest,
            message: format!("the message is no request, response or notification: {e}"),
        }),
    }
}

/// The id of the request a message's text holds, if it is JSON with one.
fn request_id(text: &str) -> Option<RequestId> {
    let value: Value = serde_json::from_str(text).ok()?;
    match value.get("id")? {
        Value::Number(n) => i32::try_from(n.as_i64()?).ok().map(RequestId::from),
        Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// `text` with every `\u` escape of a lone UTF-16 surrogate replaced by `\ufffd`, or
/// `None` when it has none.
fn without_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let is_low = |unit: u32| (0xDC00..0xE000).contains(&unit);
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'\\', &bytes[at..]) {
        let start = at + offset;
        at = match unicode_escape(bytes, start) {
            Some(high) if (0xD800..0xDC00).contains(&high) => {
                if unicode_escape(bytes, start + 6).is_some_and(is_low) {
                    start + 12
                } else {
                    replace_escape(&mut out, text, &mut copied, start)
                }
            }
            Some(low) if is_low(low) => replace_escape(&mut out, text, &mut copied, start),
            Some(_) => start + 6,
            // Another escape (`\\`, `\"`): its second character starts no escape.
            None => start + 2,
        };
    }
    (copied > 0).then(|| out + &text[copied..])
}

/// Copies `text` up to the escape at `start`, then U+FFFD's escape; where to go on.
fn replace_escape(out: &mut String, text: &str, copied: &mut usize, start: usize) -> usize {
    out.push_str(&text[*copied..start]);
    out.push_str("\\ufffd");
    *copied = start + 6;
    *copied
}

/// The UTF-16 code unit of the `\uXXXX` escape at `at`.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 6)?.strip_prefix(b"\\u")?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        assert_eq!(
            without_lone_surrogates(r#"{"a": "x\ud800y\udc00\ud83d\ude00\\ud800"}"#).as_deref(),
            Some(r#"{"a": "x\ufffdy\ufffd\ud83d\ude00\\ud800"}"#)
        );
        assert_eq!(without_lone_surrogates(r#"{"a": "\ud83d\ude00\n"}"#), None);
        assert_eq!(
            without_lone_surrogates(r#""\ud800\ud800""#).as_deref(),
            Some(r#""\ufffd\ufffd""#)
        );
    }

    /// The messages passed on and the answers given, as JSON.
    fn read_all(input: &[u8]) -> (Vec<String>, Vec<String>) {
        let delivered = std::cell::RefCell::new(Vec::new());
        let replied = std::cell::RefCell::new(Vec::new());
        let keep = |list: &std::cell::RefCell<Vec<String>>, m: Message| {
            list.borrow_mut().push(serde_json::to_string(&m).unwrap());
            true
        };
        read_messages(input, |m| keep(&delivered, m), |m| keep(&replied, m)).unwrap();
        (delivered.into_inner(), replied.into_inner())
    }

    /// Bad input before a good message: the good one is passed on, the bad one answered.
    #[test]
    fn a_bad_message_is_answered_and_the_next_one_is_read() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let cases = [
            ("Content-Length: 5\r\n\r\n{bad}", "not JSON"),
            ("garbage\r\n\r\n", "without a Content-Length"),
            ("Content-Length: -1\r\n\r\n", "`-1` is no length"),
        ];
        for (bad, answer) in cases {
            let input = format!(
                "{bad}Content-Type: x\r\nContent-Length: {}\r\n\r\n{ok}",
                ok.len()
            );
            let (delivered, replied) = read_all(input.as_bytes());
            assert_eq!(delivered.len(), 1, "{bad}: {delivered:?}");
            assert!(delivered[0].contains("initialized"), "{delivered:?}");
            assert_eq!(replied.len(), 1, "{bad}: {replied:?}");
            assert!(
                replied[0].contains("window/logMessage") && replied[0].contains(answer),
                "{bad}: {replied:?}"
            );
        }
    }
}
