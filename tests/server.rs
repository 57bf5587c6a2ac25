//! `rasalint server` driven as an editor drives it: LSP messages on its stdin, answers and
//! published diagnostics read from its stdout.

use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{Value, json};

mod common;

/// How long a test waits for one message before it fails (a check of these small bots
/// takes milliseconds).
const PATIENCE: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read but not yet asked for.
    backlog: Vec<Value>,
    next_id: i64,
    /// The capabilities the server announced in its answer to `initialize`.
    announced: Value,
}

impl Client {
    /// Starts the server and initializes it, offering the position encodings given.
    fn start(encodings: &[&str]) -> Client {
        Client::start_with(json!({"general": {"positionEncodings": encodings}}))
    }

    /// Starts the server and initializes it with these client capabilities.
    fn start_with(capabilities: Value) -> Client {
        let (child, stdin, messages) = common::start_server();
        let mut client = Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
            announced: Value::Null,
        };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        assert_eq!(result["serverInfo"]["name"], "rasalint");
        client.announced = result["capabilities"].clone();
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        self.send_at_once(&[message]);
    }

    /// Writes the messages in one go, as a fast typist's editor does.
    fn send_at_once(&mut self, messages: &[Value]) {
        let mut bytes = Vec::new();
        for message in messages {
            let text = message.to_string();
            write!(bytes, "Content-Length: {}\r\n\r\n{text}", text.len()).expect("write");
        }
        self.stdin.write_all(&bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// A request to send with [`Client::send_at_once`], and its id.
    fn request_message(&mut self, method: &str, params: Value) -> (Value, i64) {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        (message, id)
    }

    /// The server's exit code once its input ends.
    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin);
        self.child.wait().expect("the server exits").code()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, skipping the notifications before it.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let (message, id) = self.request_message(method, params);
        self.send(message);
        let message = self.take(|m| m["id"] == id);
        assert!(message.get("error").is_none(), "{method} failed: {message}");
        message["result"].clone()
    }

    /// The first message, in the order the server sent them, that `wanted` accepts; the
    /// others are kept for later calls.
    fn take(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at);
        }
        loop {
            let message = self
                .messages
                .recv_timeout(PATIENCE)
                .expect("the server sends the message in time");
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Value {
        self.take(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            ["params"]
            .clone()
    }

    /// The quick fix titled `title` the server offers for `finding` (the test fails when
    /// there is none).
    fn action_titled(&mut self, uri: &str, finding: &Value, title: &str) -> Value {
        let params = json!({
            "textDocument": {"uri": uri},
            "range": finding["range"],
            "context": {"diagnostics": [], "only": ["quickfix"]},
        });
        let actions = self.request("textDocument/codeAction", params);
        let found = actions
            .as_array()
            .and_then(|a| a.iter().find(|a| a["title"] == title));
        found
            .unwrap_or_else(|| panic!("`{title}` is offered: {actions}"))
            .clone()
    }

    /// The titles of the code actions offered for `finding`.
    fn action_titles(&mut self, uri: &str, finding: &Value) -> Vec<String> {
        let params = json!({
            "textDocument": {"uri": uri},
            "range": finding["range"],
            "context": {"diagnostics": []},
        });
        let actions = self.request("textDocument/codeAction", params);
        let actions = actions.as_array().expect("a list of actions");
        actions
            .iter()
            .map(|a| a["title"].as_str().expect("a title").to_string())
            .collect()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let document = json!({"uri": uri, "languageId": "markdown", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        let params = json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        });
        self.notify("textDocument/didChange", params);
    }

    /// Shuts the server down as an editor does and returns its exit code.
    fn shut_down(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }
}

/// A bot whose domain declares `greet`, with an NLU file and a story on disk.
fn bot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir(root.join("data")).expect("data dir");
    std::fs::write(
        root.join("domain.yml"),
        "intents:\n- greet\nresponses:\n  utter_hi:\n  - text: hi\n",
    )
    .expect("domain");
    std::fs::write(root.join("data/nlu.md"), "## intent:greet\n- hello\n").expect("nlu");
    std::fs::write(
        root.join("data/stories.md"),
        "## hi\n* greet\n  - utter_hi\n",
    )
    .expect("stories");
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The published diagnostic with `code` (the test fails when there is none).
fn finding(published: &Value, code: &str) -> Value {
    let diagnostics = published["diagnostics"].as_array().expect("a list");
    let found = diagnostics.iter().find(|d| d["code"] == code);
    found
        .unwrap_or_else(|| panic!("{code} is published: {published}"))
        .clone()
}

fn codes(published: &Value) -> Vec<String> {
    let mut codes: Vec<String> = published["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn unsaved_text_is_checked_against_the_whole_bot_with_utf16_positions() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&["utf-16"]);
    // Unsaved: an intent the domain does not declare, after characters that take one
    // (`é`) and two (`😀`) UTF-16 units.
    client.open(
        &nlu,
        "## intent:greet\n- héllo 😀\n\n## intent:grete\n- hi\n",
    );
    let published = client.diagnostics_for(&nlu);
    assert_eq!(published["version"], 1);
    let rl101 = finding(&published, "RL101");
    assert_eq!(rl101["source"], "rasalint");
    assert_eq!(rl101["severity"], 1, "an error");
    assert_eq!(rl101["range"]["start"], json!({"line": 3, "character": 10}));
    assert_eq!(rl101["range"]["end"], json!({"line": 3, "character": 15}));
    assert!(rl101["message"].as_str().unwrap().contains("grete"));
    // The emoji's line: a position after it counts 2 units for it.
    client.change(&nlu, 2, "## intent:greet\n- héllo 😀   \n");
    let published = client.diagnostics_for(&nlu);
    let trailing = finding(&published, "RL501");
    assert_eq!(
        trailing["range"]["start"],
        json!({"line": 1, "character": 10})
    );
    assert_eq!(
        trailing["range"]["end"],
        json!({"line": 1, "character": 13})
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn utf8_positions_count_bytes_when_the_client_offers_them() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&["utf-16", "utf-8"]);
    client.open(&nlu, "## intent:greet\n- héllo 😀   \n");
    let published = client.diagnostics_for(&nlu);
    let trailing = finding(&published, "RL501");
    assert_eq!(
        trailing["range"]["start"],
        json!({"line": 1, "character": 13})
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn an_edit_of_the_domain_republishes_the_stories_that_depend_on_it() {
    let bot = bot();
    let stories = uri(&bot.path().join("data/stories.md"));
    let domain = uri(&bot.path().join("domain.yml"));
    let mut client = Client::start(&[]);
    client.open(
        &stories,
        "## hi\n* greet\n  - utter_hi\n\n## bye\n* bye\n  - utter_hi\n",
    );
    assert_eq!(codes(&client.diagnostics_for(&stories)), ["RL103"]);
    client.open(
        &domain,
        "intents:\n- greet\nresponses:\n  utter_hi:\n  - text: hi\n",
    );
    client.diagnostics_for(&stories);
    // Declaring `bye` in the (unsaved) domain clears the story's finding.
    client.change(
        &domain,
        2,
        "intents:\n- greet\n- bye\nresponses:\n  utter_hi:\n  - text: hi\n",
    );
    assert_eq!(
        codes(&client.diagnostics_for(&stories)),
        Vec::<String>::new()
    );
    // Closing the domain unsaved: the stories are checked against the disk's domain again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": domain}}),
    );
    // The closed document's findings are cleared (a publication of no version).
    let cleared = client.take(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == domain
            && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(codes(&client.diagnostics_for(&stories)), ["RL103"]);
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn files_changed_on_disk_are_watched_and_republish_the_open_documents() {
    let bot = bot();
    let stories = uri(&bot.path().join("data/stories.md"));
    let watching = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start_with(watching);
    let registration = client.take(|m| m["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let id = registration["id"].clone();
    client.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
    client.open(
        &stories,
        "## hi\n* greet\n  - utter_hi\n\n## bye\n* bye\n  - utter_hi\n",
    );
    assert_eq!(codes(&client.diagnostics_for(&stories)), ["RL103"]);
    // `git checkout` brings a domain that declares `bye`.
    let domain = bot.path().join("domain.yml");
    std::fs::write(
        &domain,
        "intents:\n- greet\n- bye\nresponses:\n  utter_hi:\n  - text: hi\n",
    )
    .expect("domain");
    let change = json!({"changes": [{"uri": uri(&domain), "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", change);
    assert_eq!(
        codes(&client.diagnostics_for(&stories)),
        Vec::<String>::new()
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn fixable_findings_have_a_quick_fix_and_the_document_a_fix_all() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    client.open(&nlu, "## intent:greet\n- hello  \n- hi\t\n");
    assert_eq!(codes(&client.diagnostics_for(&nlu)), ["RL501", "RL501"]);
    // The cursor in the spaces after `hello`.
    let cursor = json!({"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 8}});
    let params = json!({
        "textDocument": {"uri": nlu},
        "range": cursor,
        "context": {"diagnostics": []},
    });
    let actions = client.request("textDocument/codeAction", params);
    let actions = actions.as_array().expect("a list of actions");
    // The finding on line 2 only: its fix (preferred), and a comment that disables it.
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(
        actions[0]["edit"]["changes"][&nlu],
        json!([{"range": {"start": {"line": 1, "character": 7}, "end": {"line": 1, "character": 9}}, "newText": ""}])
    );
    assert_eq!(actions[1]["title"], "Disable RL501 for this line");
    assert_eq!(actions[1]["isPreferred"], false);
    // Elsewhere on the line, with the line's diagnostics sent along (as VS Code does).
    let line_start =
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}});
    let on_line = json!({
        "range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 5}},
        "code": "RL501",
        "message": "",
    });
    let params = json!({
        "textDocument": {"uri": nlu},
        "range": line_start,
        "context": {"diagnostics": [on_line]},
    });
    let actions = client.request("textDocument/codeAction", params);
    assert_eq!(actions.as_array().map(Vec::len), Some(2), "{actions}");
    assert_eq!(
        actions[0]["edit"]["changes"][&nlu][0]["range"]["start"],
        json!({"line": 2, "character": 4})
    );
    let params = json!({
        "textDocument": {"uri": nlu},
        "range": cursor,
        "context": {"diagnostics": [], "only": ["source.fixAll"]},
    });
    let actions = client.request("textDocument/codeAction", params);
    assert_eq!(actions.as_array().map(Vec::len), Some(1), "{actions}");
    assert_eq!(actions[0]["kind"], "source.fixAll.rasalint");
    let edit = &actions[0]["edit"]["changes"][&nlu][0];
    assert_eq!(edit["newText"], "## intent:greet\n- hello\n- hi\n");
    assert_eq!(edit["range"]["end"], json!({"line": 3, "character": 0}));
    assert_eq!(client.shut_down(), Some(0));
}

/// What an editor does on save (VS Code's `editor.codeActionsOnSave`, the Neovim setups'
/// `BufWritePre`): the last edit, then at once a request for the announced fix-all kind
/// alone. The fix-all is of the edited text, and nothing else is offered.
#[test]
fn fix_all_on_save_fixes_the_edit_sent_just_before_it() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    let kinds = &client.announced["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.rasalint"]));
    client.open(&nlu, "## intent:greet\n- hello\n");
    let before = codes(&client.diagnostics_for(&nlu));
    assert!(!before.contains(&"RL501".to_string()), "{before:?}");
    let change = json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {
            "textDocument": {"uri": nlu, "version": 2},
            "contentChanges": [{"text": "## intent:greet\n- hello \n- hi\t\n"}],
        },
    });
    let everything =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}});
    let (request, id) = client.request_message(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": nlu},
            "range": everything,
            "context": {"diagnostics": [], "only": ["source.fixAll.rasalint"]},
        }),
    );
    client.send_at_once(&[change, request]);
    let answer = client.take(|m| m["id"] == id);
    let actions = answer["result"].as_array().expect("a list of actions");
    assert_eq!(actions.len(), 1, "{answer}");
    assert_eq!(actions[0]["kind"], "source.fixAll.rasalint");
    assert_eq!(
        actions[0]["edit"]["changes"][&nlu][0]["newText"],
        "## intent:greet\n- hello\n- hi\n"
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn the_disable_action_inserts_a_comment_that_suppresses_the_finding() {
    let bot = bot();
    let stories = uri(&bot.path().join("data/stories.md"));
    let mut client = Client::start(&[]);
    let text = "## hi\r\n* greet\r\n  - utter_hi \r\n";
    client.open(&stories, text);
    let trailing = finding(&client.diagnostics_for(&stories), "RL501");
    let disable = client.action_titled(&stories, &trailing, "Disable RL501 for this line");
    let edit = &disable["edit"]["changes"][&stories][0];
    // Indented like the line, with the file's own line break.
    assert_eq!(
        edit["newText"],
        "  <!-- rasalint-disable-next-line RL501 -->\r\n"
    );
    assert_eq!(edit["range"]["start"], json!({"line": 2, "character": 0}));
    let suppressed =
        "## hi\r\n* greet\r\n  <!-- rasalint-disable-next-line RL501 -->\r\n  - utter_hi \r\n";
    client.change(&stories, 2, suppressed);
    // RL501 is gone, and the comment is used (no RL901); the CRLF finding stays.
    let published = client.diagnostics_for(&stories);
    assert_eq!(codes(&published), ["RL506"]);
    let crlf = finding(&published, "RL506");
    // It points at a line break, which a comment line above would hold too: the comment
    // disables it for the file.
    let disable = client.action_titled(&stories, &crlf, "Disable RL506 in this file");
    let edit = &disable["edit"]["changes"][&stories][0];
    assert_eq!(edit["newText"], "<!-- rasalint-disable-file RL506 -->\r\n");
    assert_eq!(edit["range"]["start"], json!({"line": 0, "character": 0}));
    client.change(
        &stories,
        3,
        &format!("<!-- rasalint-disable-file RL506 -->\r\n{suppressed}"),
    );
    assert_eq!(
        codes(&client.diagnostics_for(&stories)),
        Vec::<String>::new()
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn no_comment_is_offered_where_it_would_change_what_rasa_reads() {
    let bot = bot();
    // A responses file: with a comment between its lines, Rasa would read it as stories.
    let path = bot.path().join("data/responses.md");
    std::fs::write(&path, "## ask name\n* faq/ask_name\n  - my name is x\n").expect("write");
    let responses = uri(&path);
    let mut client = Client::start(&[]);
    client.open(
        &responses,
        "## ask name\n* faq/ask_name\n  - my name is x \n",
    );
    let trailing = finding(&client.diagnostics_for(&responses), "RL501");
    let params = json!({
        "textDocument": {"uri": responses},
        "range": trailing["range"],
        "context": {"diagnostics": []},
    });
    let actions = client.request("textDocument/codeAction", params);
    let titles: Vec<&str> = actions
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["Fix RL501 (trailing-whitespace)"]);
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn a_broken_configuration_is_shown_once_and_the_defaults_are_used() {
    let bot = bot();
    let config = bot.path().join("rasalint.toml");
    // Read, it would turn RL101 off; it is not TOML (the list is not closed).
    let broken = "ignore = [\"RL101\"\n";
    std::fs::write(&config, broken).expect("config");
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    client.open(&nlu, "## intent:grete\n- hello\n");
    let shown = client.take(|m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("rasalint.toml"), "{shown}");
    assert!(codes(&client.diagnostics_for(&nlu)).contains(&"RL101".to_string()));
    // A second check with the same mistake shows nothing more.
    client.change(&nlu, 2, "## intent:grete\n- hello\n- hi\n");
    client.diagnostics_for(&nlu);
    // Fixed, then broken again: shown again.
    let files_changed = json!({"changes": [{"uri": uri(&config), "type": 2}]});
    std::fs::write(&config, "ignore = [\"RL101\"]\n").expect("config");
    client.notify("workspace/didChangeWatchedFiles", files_changed.clone());
    assert!(!codes(&client.diagnostics_for(&nlu)).contains(&"RL101".to_string()));
    std::fs::write(&config, broken).expect("config");
    client.notify("workspace/didChangeWatchedFiles", files_changed);
    client.diagnostics_for(&nlu);
    client.request("shutdown", Value::Null);
    let shown = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "window/showMessage");
    assert_eq!(shown.count(), 1, "shown again after the fix, and only then");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn another_scheme_s_text_of_a_file_is_not_taken_for_the_file() {
    let bot = bot();
    let path = bot.path().join("data/nlu.md");
    let nlu = uri(&path);
    let mut client = Client::start(&[]);
    client.open(&nlu, "## intent:greet\n- hello\n- hi\n- hey there   \n");
    let trailing = finding(&client.diagnostics_for(&nlu), "RL501");
    // The same file at HEAD, as VS Code's diff view opens it.
    let head = format!("git:{}?%7B%7D", path.display());
    client.open(&head, "## intent:greet\n- hello\n- hi  \n");
    client.change(&nlu, 2, "## intent:greet\n- hello\n- hi\n- hey there   \n");
    let published = client.diagnostics_for(&nlu);
    assert_eq!(finding(&published, "RL501")["range"], trailing["range"]);
    let fix = client.action_titled(&nlu, &trailing, "Fix RL501 (trailing-whitespace)");
    let edit = &fix["edit"]["changes"][&nlu][0];
    assert_eq!(edit["range"], trailing["range"]);
    // Every message sent before the answer to `shutdown` has arrived by then: none was
    // about the other scheme's document.
    client.request("shutdown", Value::Null);
    let about_head = client
        .backlog
        .iter()
        .filter(|m| m["params"]["uri"] == head.as_str());
    assert_eq!(about_head.count(), 0, "{:?}", client.backlog);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn no_disable_comment_for_a_blank_line_or_where_it_would_close_a_comment() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    // Trailing spaces on a blank line: a comment above would cover `- hi`, not it.
    client.open(&nlu, "## intent:greet\n- hello\n- hey\n    \n- hi\n");
    let published = client.diagnostics_for(&nlu);
    let blank = finding(&published, "RL501");
    assert_eq!(blank["range"]["start"]["line"], 3);
    let titles = client.action_titles(&nlu, &blank);
    assert_eq!(titles, ["Fix RL501 (trailing-whitespace)"]);
    // An unclosed `<!--` above: Rasa would read the comment's `-->` as its end.
    client.change(
        &nlu,
        2,
        "## intent:greet\n<!-- old examples\n- hello\n- hey\n- hi   \n",
    );
    let trailing = finding(&client.diagnostics_for(&nlu), "RL501");
    let titles = client.action_titles(&nlu, &trailing);
    assert_eq!(titles, ["Fix RL501 (trailing-whitespace)"]);
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn an_open_file_that_is_not_part_of_the_bot_gets_no_findings() {
    let bot = bot();
    let readme_path = bot.path().join("README.md");
    let readme_text = "# My bot\n\n## Setup\n* install rasa\n- run `rasa train`\n";
    std::fs::write(&readme_path, readme_text).expect("readme");
    let readme = uri(&readme_path);
    let stories = uri(&bot.path().join("data/stories.md"));
    let mut client = Client::start(&[]);
    client.open(&stories, "## hi\n* greet\n  - utter_hi\n");
    assert_eq!(
        codes(&client.diagnostics_for(&stories)),
        Vec::<String>::new()
    );
    // Read as training data, it would be a story file full of errors.
    client.open(&readme, readme_text);
    assert_eq!(
        codes(&client.diagnostics_for(&readme)),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&client.diagnostics_for(&stories)),
        Vec::<String>::new()
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn a_burst_of_changes_is_checked_once_per_batch_and_ends_at_the_last_text() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    // A file large enough that a check takes longer than reading a burst of messages.
    let mut text = String::from("## intent:greet\n");
    for i in 0..5000 {
        text.push_str(&format!("- hello number {i} [there](place)\n"));
    }
    let mut client = Client::start(&[]);
    client.open(&nlu, &text);
    client.diagnostics_for(&nlu);
    let changes: Vec<Value> = (2..=21)
        .map(|version| {
            let params = json!({
                "textDocument": {"uri": nlu, "version": version},
                "contentChanges": [{"text": format!("{text}- typed {version}   \n")}],
            });
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params})
        })
        .collect();
    client.send_at_once(&changes);
    let mut publications = 0;
    loop {
        let published = client.diagnostics_for(&nlu);
        publications += 1;
        if published["version"] == 21 {
            let trailing = finding(&published, "RL501");
            assert_eq!(trailing["range"]["start"]["line"], 5001);
            break;
        }
    }
    // Typically 2 or 3: the first change, then the rest together. Handed over one at a
    // time (lsp-server's own channel holds no backlog), it took 12 here.
    assert!(
        publications <= 6,
        "{publications} checks for 20 changes sent at once"
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn requests_before_shutdown_are_answered_and_the_exit_code_follows_the_protocol() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    client.open(&nlu, "## intent:greet\n- hello  \n");
    let trailing = finding(&client.diagnostics_for(&nlu), "RL501");
    let params = json!({
        "textDocument": {"uri": nlu},
        "range": trailing["range"],
        "context": {"diagnostics": []},
    });
    let (actions, actions_id) = client.request_message("textDocument/codeAction", params);
    let (shutdown, shutdown_id) = client.request_message("shutdown", Value::Null);
    let (late, late_id) = client.request_message("textDocument/codeAction", json!({}));
    client.send_at_once(&[actions, shutdown, late]);
    let answer = client.take(|m| m["id"] == actions_id);
    assert!(
        answer["result"].as_array().is_some_and(|a| !a.is_empty()),
        "{answer}"
    );
    assert!(client.take(|m| m["id"] == shutdown_id)["error"].is_null());
    // After `shutdown`, requests are refused.
    assert!(client.take(|m| m["id"] == late_id)["error"].is_object());
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
    // `exit` without `shutdown`: exit code 1.
    let mut client = Client::start(&[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn names_the_domain_declares_complete_and_lead_to_their_declaration() {
    let bot = bot();
    let domain_text = "intents:\n- greet\n- goodbye\n- faq\nentities:\n- city\n\
        responses:\n  utter_hi:\n  - text: hi\nactions:\n- utter_hi\n";
    std::fs::write(bot.path().join("domain.yml"), domain_text).expect("domain");
    let stories = uri(&bot.path().join("data/stories.md"));
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let domain = uri(&bot.path().join("domain.yml"));
    let mut client = Client::start(&[]);
    client.open(&stories, "## hi\n* greet OR go\n  - utter_\n* form: gr\n");
    client.diagnostics_for(&stories);
    let at = |uri: &str, line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let labels = |items: &Value| -> Vec<String> {
        let items = items.as_array().expect("a list of items");
        items
            .iter()
            .map(|i| i["label"].as_str().expect("label").to_string())
            .collect()
    };
    let range = |line: u32, from: u32, to: u32| json!({"start": {"line": line, "character": from}, "end": {"line": line, "character": to}});
    // `* greet OR go|`: every intent (the editor filters by `go`), replacing `go`.
    let items = client.request("textDocument/completion", at(&stories, 1, 13));
    assert_eq!(labels(&items), ["faq", "goodbye", "greet"]);
    assert_eq!(items[0]["textEdit"]["range"], range(1, 11, 13));
    // In the middle of a name, the whole name is replaced.
    let items = client.request("textDocument/completion", at(&stories, 1, 4));
    assert_eq!(items[0]["textEdit"]["range"], range(1, 2, 7));
    // `  - utter_|`: responses, forms, actions and Rasa's default actions, each once.
    let items = client.request("textDocument/completion", at(&stories, 2, 10));
    let actions = labels(&items);
    assert!(actions.contains(&"utter_hi".to_string()), "{actions:?}");
    assert!(
        actions.contains(&"action_restart".to_string()),
        "{actions:?}"
    );
    assert_eq!(actions.iter().filter(|a| *a == "utter_hi").count(), 1);
    // After interactive learning's `form: ` prefix.
    let items = client.request("textDocument/completion", at(&stories, 3, 10));
    assert_eq!(items[0]["textEdit"]["range"], range(3, 8, 10));
    // In NLU: the header's intent, an annotation's entity, nothing in a regex section.
    client.open(
        &nlu,
        "## intent:\n* to [Paris](c\n\n## regex:zip\n- [0-9](c\n",
    );
    client.diagnostics_for(&nlu);
    let items = client.request("textDocument/completion", at(&nlu, 0, 10));
    assert_eq!(labels(&items), ["faq", "goodbye", "greet"]);
    let items = client.request("textDocument/completion", at(&nlu, 1, 14));
    assert_eq!(labels(&items), ["city"]);
    let items = client.request("textDocument/completion", at(&nlu, 4, 9));
    assert_eq!(items, json!([]));
    // Entities as a turn's keys, and as a JSON annotation's `"entity"`; nothing in a value.
    client.change(
        &stories,
        2,
        "## hi\n* greet{\"ci\n* greet{\"city\": \"Ber\n",
    );
    client.diagnostics_for(&stories);
    let items = client.request("textDocument/completion", at(&stories, 1, 11));
    assert_eq!(labels(&items), ["city"]);
    let items = client.request("textDocument/completion", at(&stories, 2, 20));
    assert_eq!(items, json!([]));
    client.change(
        &nlu,
        2,
        "## intent:greet\n- I am in [Rome]{\"entity\": \"ci\n",
    );
    client.diagnostics_for(&nlu);
    let items = client.request("textDocument/completion", at(&nlu, 1, 33));
    assert_eq!(labels(&items), ["city"]);
    // From a name to its declaration: `* greet` to `- greet`; `utter_hi` to its response,
    // not to its entry under `actions:`; a retrieval intent's header to its base.
    client.change(&stories, 3, "## hi\n* greet\n  - utter_hi\n");
    client.diagnostics_for(&stories);
    let location = client.request("textDocument/definition", at(&stories, 1, 4));
    assert_eq!(location["uri"], domain.as_str());
    assert_eq!(
        location["range"]["start"],
        json!({"line": 1, "character": 2})
    );
    let location = client.request("textDocument/definition", at(&stories, 2, 8));
    assert_eq!(
        location["range"]["start"],
        json!({"line": 7, "character": 2})
    );
    client.change(&nlu, 3, "## intent:faq/ask_name\n- what is your name\n");
    client.diagnostics_for(&nlu);
    let location = client.request("textDocument/definition", at(&nlu, 0, 11));
    assert_eq!(
        location["range"]["start"],
        json!({"line": 3, "character": 2})
    );
    client.change(
        &nlu,
        4,
        "## intent:greet\n- in [Rome]{\"entity\": \"city\"}\n",
    );
    client.diagnostics_for(&nlu);
    let location = client.request("textDocument/definition", at(&nlu, 1, 26));
    assert_eq!(
        location["range"]["start"],
        json!({"line": 5, "character": 2})
    );
    // Not a name: the story header.
    let nothing = client.request("textDocument/definition", at(&stories, 0, 4));
    assert!(nothing.is_null(), "{nothing}");
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn hovering_a_rule_in_a_suppression_comment_shows_its_documentation() {
    let bot = bot();
    let nlu = uri(&bot.path().join("data/nlu.md"));
    let mut client = Client::start(&[]);
    let text = "<!-- rasalint-disable-next-line RL202, trailing-whitespace -->\n## intent:greet\n- hello\n";
    client.open(&nlu, text);
    client.diagnostics_for(&nlu);
    let hover_at = |client: &mut Client, character: u32| {
        let at =
            json!({"textDocument": {"uri": nlu}, "position": {"line": 0, "character": character}});
        client.request("textDocument/hover", at)
    };
    let hover = hover_at(&mut client, 34);
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        shown.starts_with("**RL202 duplicate-example-in-intent**"),
        "{hover}"
    );
    assert!(shown.contains("## What it does"), "{hover}");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert_eq!(
        hover["range"],
        json!({"start": {"line": 0, "character": 32}, "end": {"line": 0, "character": 37}})
    );
    // By name too; and nothing over the directive itself.
    let hover = hover_at(&mut client, 45);
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        shown.starts_with("**RL501 trailing-whitespace**"),
        "{hover}"
    );
    assert!(hover_at(&mut client, 10).is_null());
    // A character of two bytes just before the code (the word ends there, whole).
    client.change(
        &nlu,
        2,
        "<!-- rasalint-disable-next-line «RL202» -->\n## intent:greet\n- hello\n",
    );
    client.diagnostics_for(&nlu);
    let hover = hover_at(&mut client, 35);
    assert_eq!(
        hover["range"]["start"],
        json!({"line": 0, "character": 33}),
        "{hover}"
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn files_outside_any_bot_get_no_findings() {
    // An editor runs the server for every Markdown file: a README with `##` headings in
    // another project is no training data.
    let dir = tempfile::tempdir().expect("temp dir");
    let readme = dir.path().join("README.md");
    let text = "# Notes\n\n## Setup\n* install it\n- run it\n";
    std::fs::write(&readme, text).expect("readme");
    let mut client = Client::start(&[]);
    client.open(&uri(&readme), text);
    assert_eq!(
        codes(&client.diagnostics_for(&uri(&readme))),
        Vec::<String>::new()
    );
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn a_disable_comment_above_a_line_rasa_skips_is_still_offered() {
    // Rasa's "Skipping line N" message for the line below moves by one with the comment,
    // which changes nothing it trains on.
    let bot = bot();
    let stories = uri(&bot.path().join("data/stories.md"));
    let mut client = Client::start(&[]);
    client.open(&stories, "## hi\n* greet\n  - utter_hi \nutter_hi\n");
    let published = client.diagnostics_for(&stories);
    assert!(
        codes(&published).contains(&"RL006".to_string()),
        "{published}"
    );
    let trailing = finding(&published, "RL501");
    client.action_titled(&stories, &trailing, "Disable RL501 for this line");
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn a_crlf_finding_on_a_blank_line_can_still_be_disabled_for_the_file() {
    let bot = bot();
    let stories = uri(&bot.path().join("data/stories.md"));
    let mut client = Client::start(&[]);
    client.open(&stories, "\r\n## hi\r\n* greet\r\n  - utter_hi\r\n");
    let crlf = finding(&client.diagnostics_for(&stories), "RL506");
    assert_eq!(crlf["range"]["start"]["line"], 0, "{crlf}");
    client.action_titled(&stories, &crlf, "Disable RL506 in this file");
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn every_request_at_any_place_of_every_fixture_file_is_answered() {
    // All the fixtures' Markdown and YAML files open at once (many bots), and requests at
    // random places, lines and characters past the ends included: every one is answered,
    // without an error, and the server ends cleanly.
    let files = common::fixture_files();
    let mut client = Client::start(&["utf-16", "utf-8"]);
    let mut dice = common::Random(0x9e37_79b9_7f4a_7c15);
    let mut requests = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // a fixture that is not UTF-8 on purpose
        };
        let uri = uri(path);
        client.open(&uri, &text);
        let lines = text.split('\n').collect::<Vec<_>>();
        for method in [
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/hover",
        ] {
            let line = dice.below(lines.len() + 1);
            let width = lines.get(line).map_or(0, |l| l.len());
            let character = dice.below(width + 3);
            let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
            requests.push(client.request_message(method, at));
        }
        let everything = json!({"start": {"line": 0, "character": 0}, "end": {"line": lines.len(), "character": 0}});
        let params = json!({"textDocument": {"uri": uri}, "range": everything, "context": {"diagnostics": [], "only": ["quickfix", "source.fixAll"]}});
        requests.push(client.request_message("textDocument/codeAction", params));
    }
    assert!(requests.len() > 1000, "{} requests", requests.len());
    let (messages, ids): (Vec<Value>, Vec<i64>) = requests.into_iter().unzip();
    client.send_at_once(&messages);
    for id in ids {
        let answer = client.take(|m| m["id"] == id);
        assert!(answer.get("error").is_none(), "{answer}");
    }
    assert_eq!(client.shut_down(), Some(0));
}

/// A Rasa 3 bot in YAML: a domain declaring `greet`, an NLU file and a story on disk.
fn yaml_bot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir(root.join("data")).expect("data dir");
    let domain = "version: \"3.1\"\nintents:\n- greet\nresponses:\n  utter_hi:\n  - text: hi\n";
    std::fs::write(root.join("domain.yml"), domain).expect("domain");
    let nlu = "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi\n";
    std::fs::write(root.join("data/nlu.yml"), nlu).expect("nlu");
    let stories = "version: \"3.1\"\nstories:\n- story: hi\n  steps:\n  - intent: greet\n  - action: utter_hi\n";
    std::fs::write(root.join("data/stories.yml"), stories).expect("stories");
    dir
}

#[test]
fn a_yaml_story_being_edited_is_checked_against_the_rasa_3_domain() {
    let bot = yaml_bot();
    let stories = uri(&bot.path().join("data/stories.yml"));
    let mut client = Client::start(&["utf-16"]);
    // Unsaved: an intent and a response the domain does not declare.
    let text = "version: \"3.1\"\nstories:\n- story: hi\n  steps:\n  - intent: gret\n  - action: utter_bye\n";
    client.open(&stories, text);
    let published = client.diagnostics_for(&stories);
    assert_eq!(codes(&published), ["RL103", "RL107"], "{published}");
    let rl103 = finding(&published, "RL103");
    assert_eq!(rl103["range"]["start"], json!({"line": 4, "character": 12}));
    assert_eq!(rl103["range"]["end"], json!({"line": 4, "character": 16}));
    // Fixed in the editor: nothing left.
    let fixed = "version: \"3.1\"\nstories:\n- story: hi\n  steps:\n  - intent: greet\n  - action: utter_hi\n";
    client.change(&stories, 2, fixed);
    let published = client.diagnostics_for(&stories);
    assert_eq!(codes(&published), Vec::<String>::new(), "{published}");
    assert_eq!(client.shut_down(), Some(0));
}

/// RL107 merges the uses of one name into one finding; the editor still shows it in each
/// file that uses the name, the other uses as related information.
#[test]
fn a_grouped_finding_is_shown_at_every_use_in_every_open_file() {
    let bot = yaml_bot();
    let rules =
        "version: \"3.1\"\nrules:\n- rule: r\n  steps:\n  - intent: greet\n  - action: utter_bye\n";
    std::fs::write(bot.path().join("data/rules.yml"), rules).expect("rules");
    let stories = uri(&bot.path().join("data/stories.yml"));
    let mut client = Client::start(&["utf-16"]);
    let text = "version: \"3.1\"\nstories:\n- story: hi\n  steps:\n  - intent: greet\n  - action: utter_bye\n";
    client.open(&stories, text);
    let published = client.diagnostics_for(&stories);
    assert_eq!(codes(&published), ["RL107"], "{published}");
    let rl107 = finding(&published, "RL107");
    assert_eq!(rl107["range"]["start"], json!({"line": 5, "character": 12}));
    assert!(
        rl107["message"]
            .as_str()
            .unwrap()
            .contains("(used 2 times)"),
        "{rl107}"
    );
    let uses: Vec<&Value> = rl107["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["message"] == "also used here")
        .collect();
    assert_eq!(uses.len(), 1, "{rl107}");
    let at = uses[0]["location"]["uri"].as_str().unwrap();
    assert!(at.ends_with("data/rules.yml"), "{rl107}");
    assert_eq!(client.shut_down(), Some(0));
}
