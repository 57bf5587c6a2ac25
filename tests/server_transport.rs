//! `rasalint server` fed bytes no editor should send: each bad message is answered (an
//! error response when its id can be read, else a `window/logMessage`) and the server
//! goes on serving; an absurd `Content-Length` is not allocated.

mod common;

use std::io::Write;
use std::process::{Child, ChildStdin, Command};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{Value, json};

const PATIENCE: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
}

impl Server {
    /// Starts the server and initializes it.
    fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts the server with more arguments and initializes it.
    fn start_with(args: &[&str]) -> Server {
        let (child, stdin, messages) = common::start_server_with(args);
        let mut server = Server {
            child,
            stdin,
            messages,
        };
        let init = json!({"processId": null, "rootUri": null, "capabilities": {}});
        server.send(&request(1, "initialize", init));
        assert_eq!(server.next()["result"]["serverInfo"]["name"], "rasalint");
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string());
        server
    }

    /// Sends `body` with its `Content-Length`.
    fn send(&mut self, body: &str) {
        self.send_bytes(body.as_bytes());
    }

    fn send_bytes(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.raw(header.as_bytes());
        self.raw(body);
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads");
        self.stdin.flush().expect("flush");
    }

    fn next(&self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// The next message, which must be a `window/logMessage`; its text.
    fn logged(&self) -> String {
        let message = self.next();
        assert_eq!(message["method"], "window/logMessage", "{message}");
        message["params"]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Asks for shutdown and exit; the exit code.
    fn shut_down(mut self) -> Option<i32> {
        self.send(&request(99, "shutdown", Value::Null));
        assert_eq!(self.next()["id"], 99);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}).to_string());
        drop(self.stdin);
        self.child.wait().expect("the server exits").code()
    }
}

fn request(id: i64, method: &str, params: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string()
}

/// A request the server answers at once, to show it still serves.
fn hover(id: i64) -> String {
    let params = json!({
        "textDocument": {"uri": "file:///nowhere/data/nlu.md"},
        "position": {"line": 0, "character": 0},
    });
    request(id, "textDocument/hover", params)
}

#[test]
fn bad_messages_are_answered_and_the_server_keeps_serving() {
    let mut server = Server::start();
    server.send("{not json");
    assert!(server.logged().contains("the message is not JSON"));

    let body = request(2, "textDocument/hover", json!({"x": "a?b"}));
    let body: Vec<u8> = body
        .bytes()
        .map(|b| if b == b'?' { 0xFF } else { b })
        .collect();
    server.send_bytes(&body);
    let answer = server.next();
    assert_eq!(answer["id"], 2, "{answer}");
    assert_eq!(answer["error"]["code"], -32700, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not UTF-8")
    );

    server.send(r#"{"jsonrpc": "2.0", "id": 3}"#);
    let answer = server.next();
    assert_eq!(
        (&answer["id"], &answer["error"]["code"]),
        (&json!(3), &json!(-32600))
    );

    server.raw(b"Content-Length: lots\r\n\r\n");
    assert!(server.logged().contains("`lots` is no length"));

    // Over the limit: read past, not kept, and the stream is in step again after it.
    let length = (64 << 20) + 1;
    server.raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    assert!(
        server
            .logged()
            .contains(&format!("a message of {length} bytes was refused unread"))
    );
    server.raw(&vec![b' '; length]);

    server.send(&hover(4));
    assert_eq!(server.next()["id"], 4);
    assert_eq!(server.shut_down(), Some(0));
}

#[test]
fn a_lone_surrogate_escape_is_read_as_a_replacement_character() {
    let mut server = Server::start();
    let uri = "file:///nowhere/data/nlu.md";
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "X"},
    }})
    .to_string()
    .replace("\"X\"", "\"## intent:greet\\n- hi \\ud800\\n\"");
    server.send(&open);
    let published = server.next();
    assert_eq!(
        published["method"], "textDocument/publishDiagnostics",
        "the document was read: {published}"
    );
    server.send(&hover(5));
    assert_eq!(server.next()["id"], 5);
    assert_eq!(server.shut_down(), Some(0));
}

#[test]
fn an_absurd_content_length_is_not_allocated() {
    let mut server = Server::start();
    server.raw(format!("Content-Length: {}\r\n\r\n{{", 1u64 << 50).as_bytes());
    assert!(server.logged().contains("refused unread"));
    // The client gives up: the server ends as for any closed connection, not aborted.
    drop(server.stdin);
    let status = server.child.wait().expect("the server exits");
    assert_eq!(status.code(), Some(1), "{status:?}");
}

/// A pipe named `config.yml` beside the domain: the bot is still checked (the pipe is not
/// opened, which would wait for a writer for ever).
#[cfg(unix)]
#[test]
fn a_pipe_named_config_yml_does_not_stop_the_server() {
    let bot = tempfile::tempdir().unwrap();
    std::fs::write(bot.path().join("domain.yml"), "intents:\n  - greet\n").unwrap();
    let fifo = bot.path().join("config.yml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let nlu = bot.path().join("data/nlu.md");
    std::fs::create_dir_all(nlu.parent().unwrap()).unwrap();
    std::fs::write(&nlu, "").unwrap();
    let uri = format!("file://{}", nlu.display());
    let mut server = Server::start();
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                         "text": "## intent:greet\n- hi\n- hi\n"},
    }});
    server.send(&open.to_string());
    let published = server.next();
    assert_eq!(published["params"]["uri"], uri, "{published}");
    let codes: Vec<&Value> = published["params"]["diagnostics"]
        .as_array()
        .map(|d| d.iter().map(|d| &d["code"]).collect())
        .unwrap_or_default();
    assert_eq!(codes, [&json!("RL204"), &json!("RL202")], "{published}");
    assert_eq!(server.shut_down(), Some(0));
}

/// vscode-languageclient (and other clients) start the server with `--stdio`.
#[test]
fn the_stdio_flag_language_clients_add_is_accepted() {
    let mut server = Server::start_with(&["--stdio"]);
    server.send(&request(2, "shutdown", Value::Null));
    assert_eq!(server.next()["id"], 2);
}
