//! `rasalint server`: a language server, so that editors show findings while content is
//! written. It speaks LSP over the connection it is given (stdio for the binary).
//!
//! Linting a bot is cross-file (a story's intent is checked against the domain), so an
//! open document is never checked alone: the whole bot around it is read, with the texts
//! of every open document (unsaved edits included) in place of the disk's, and the
//! findings of each open document of that bot are published. A change to one document
//! re-publishes every open document of its bot: fixing a typo in `domain.yml` clears the
//! findings it caused in the stories.
//!
//! Messages that arrive while a check runs are taken together: a burst of keystrokes costs
//! one check, not one per keystroke.
//!
//! Besides diagnostics: code actions (`actions`: a finding's safe fix, a suppression
//! comment, every fix of a document), completion and go-to-definition of the names the
//! domain declares (`names`), a rule's documentation over its code in a suppression comment
//! (`hover`); `convert` turns byte spans into the protocol's positions; `transport` reads
//! and writes the messages, so that a bad one costs that message, not the session.

mod actions;
mod convert;
mod hover;
mod names;
pub mod transport;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, GotoDefinitionParams, HoverParams, InitializeParams,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    Url,
};
use rustc_hash::FxHashMap;

use self::convert::Encoding;
use crate::diagnostic::{Diagnostic, Edit};
use crate::discover::find_project_root;
use crate::layout::{Layout, LayoutOptions};
use crate::rules::internal_error::InternalError;
use crate::settings::{Overrides, Settings, find_config, read_config, resolve};
use crate::source::Span;

/// The code action kind that applies every safe fix of a document (editors can run it on
/// save, as `source.fixAll.ruff` is run).
const FIX_ALL: &str = "source.fixAll.rasalint";

/// Why the server could not serve the client (the connection failed).
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// How the client ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown`, then `exit`: the process exits with 0.
    Clean,
    /// `exit` without `shutdown`, or the connection closed: the process exits with 1, as the
    /// protocol asks.
    Abrupt,
}

/// Serves one client until it asks the server to exit (or the connection closes).
pub fn run(connection: &Connection) -> Result<Ending, Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| format!("cannot read the initialize request: {e}"))?;
    let offered = params.capabilities.general.as_ref();
    let encoding = Encoding::negotiate(offered.and_then(|g| g.position_encodings.as_deref()));
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": {"name": "rasalint", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result)?;
    if can_watch_files(&params) {
        connection.sender.send(watch_request().into())?;
    }
    let mut server = Server {
        connection,
        encoding,
        documents: FxHashMap::default(),
        shown_errors: FxHashMap::default(),
        shut_down: false,
        declared: FxHashMap::default(),
    };
    Ok(server.serve(queue(connection)))
}

/// The client's messages, moved as they arrive to a queue without bound: lsp-server hands
/// them over one at a time, and a queue that holds everything that came in during a check
/// is what lets the next check take a burst of keystrokes at once.
fn queue(connection: &Connection) -> std::sync::mpsc::Receiver<Message> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let incoming = connection.receiver.clone();
    std::thread::spawn(move || {
        for message in incoming {
            if sender.send(message).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Whether the client can be asked to tell the server about files changed on disk (by
/// `git checkout`, another editor, a generator), which the open documents may depend on.
fn can_watch_files(params: &InitializeParams) -> bool {
    let workspace = params.capabilities.workspace.as_ref();
    let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration) == Some(true)
}

/// Asks the client to report changes of the files a bot is made of (its answer needs no
/// handling: without it, only edits in the editor are seen).
fn watch_request() -> Request {
    let registration = lsp_types::Registration {
        id: "rasalint-bot-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: Some(serde_json::json!({
            "watchers": [{"globPattern": "**/*.{md,yml,yaml,toml,py}"}],
        })),
    };
    let params = lsp_types::RegistrationParams {
        registrations: vec![registration],
    };
    let id = lsp_server::RequestId::from("rasalint-watch".to_string());
    Request::new(id, "client/registerCapability".into(), params)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(lsp_types::CompletionOptions {
            // After `* `, `- `, `## intent:`, `](` and a JSON key's or value's opening quote.
            trigger_characters: Some(vec![" ".into(), ":".into(), "(".into(), "\"".into()]),
            ..lsp_types::CompletionOptions::default()
        }),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// A document the editor holds open.
pub(crate) struct Document {
    path: PathBuf,
    /// The folder of the bot it belongs to (or its own folder, outside any bot).
    project: PathBuf,
    version: i32,
    text: String,
    /// The version the findings below were found in.
    checked_version: Option<i32>,
    findings: Vec<Finding>,
    /// What the last check read the document as (NLU, stories, …).
    kind: Option<crate::model::FileKind>,
}

/// A document at a cursor: the document as a source file, and the byte offsets of the
/// cursor's line and of the cursor.
pub(crate) struct Cursor {
    file: crate::source::SourceFile,
    line_start: usize,
    cursor: usize,
}

impl Document {
    /// The document at `position` (`None` past its last line).
    fn at(&self, position: lsp_types::Position, encoding: Encoding) -> Option<Cursor> {
        let file =
            crate::source::SourceFile::new(self.path.clone(), self.path.clone(), self.text.clone());
        let cursor = convert::offset(&file, position, encoding)?;
        let line_start = file.line_start(file.line_col(cursor).line);
        Some(Cursor {
            file,
            line_start,
            cursor,
        })
    }
}

impl Cursor {
    /// The cursor's line, without its line break.
    fn line(&self) -> &str {
        let rest = &self.file.text[self.line_start..];
        &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
    }

    /// The word around the cursor, as a byte range of its [`Cursor::line`]: the
    /// characters `part_of` accepts, on both sides of the cursor.
    fn word(&self, part_of: impl Fn(char) -> bool) -> std::ops::Range<usize> {
        let line = self.line();
        let at = self.cursor - self.line_start;
        let start = line[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !part_of(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = line[at..]
            .find(|c: char| !part_of(c))
            .map_or(line.len(), |i| at + i);
        start..end
    }
}

/// A published finding, kept for the code actions asked for later.
pub(crate) struct Finding {
    diagnostic: lsp_types::Diagnostic,
    code: &'static str,
    name: &'static str,
    /// Where the finding is in the text it was found in.
    span: Span,
    fix: Vec<Edit>,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    documents: FxHashMap<Url, Document>,
    /// The configuration error last shown for each bot, so that a mistake is shown once,
    /// not on every keystroke (and again once it is made again after a fix).
    shown_errors: FxHashMap<PathBuf, String>,
    /// Whether the client asked the server to shut down (only `exit` may follow).
    shut_down: bool,
    /// What each bot (by folder) declares, as its last check found it.
    declared: FxHashMap<PathBuf, names::Declared>,
}

impl Server<'_> {
    /// Takes every message that has arrived, applies the notifications, checks each bot
    /// they changed once, then answers the requests in order (after the checks, so code
    /// actions see the findings of the text they are asked about).
    fn serve(&mut self, messages: std::sync::mpsc::Receiver<Message>) -> Ending {
        while let Ok(first) = messages.recv() {
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut requests = Vec::new();
            let mut exit = false;
            for message in std::iter::once(first).chain(messages.try_iter()) {
                match message {
                    Message::Request(request) => requests.push(request),
                    Message::Notification(n) if n.method == "exit" => {
                        exit = true;
                        break;
                    }
                    Message::Notification(_) if self.shut_down => {}
                    Message::Notification(n) => self.notification(n, &mut changed),
                    Message::Response(_) => {}
                }
            }
            changed.sort();
            changed.dedup();
            for project in &changed {
                self.check_project(project);
            }
            for request in requests {
                let response = self.respond(request);
                self.send(response.into());
            }
            if exit {
                return if self.shut_down {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                };
            }
        }
        Ending::Abrupt
    }

    /// Applies a notification; `changed` collects the bots to check again.
    fn notification(&mut self, notification: Notification, changed: &mut Vec<PathBuf>) {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) =
                    notification.extract::<DidOpenTextDocumentParams>("textDocument/didOpen")
                {
                    self.open(p, changed);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) =
                    notification.extract::<DidChangeTextDocumentParams>("textDocument/didChange")
                {
                    self.change(p, changed);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) =
                    notification.extract::<DidCloseTextDocumentParams>("textDocument/didClose")
                {
                    self.close(&p.text_document.uri, changed);
                }
            }
            // Files changed on disk, or settings: every open bot may read differently now.
            "workspace/didChangeWatchedFiles" | "workspace/didChangeConfiguration" => {
                changed.extend(self.documents.values().map(|d| d.project.clone()));
            }
            _ => {}
        }
    }

    fn open(&mut self, params: DidOpenTextDocumentParams, changed: &mut Vec<PathBuf>) {
        let document = params.text_document;
        // Only files can be part of a bot: an unsaved buffer has no folder to find it in,
        // and another scheme's document (`git:` in a diff view) is another text of a file.
        if document.uri.scheme() != "file" {
            return;
        }
        let Ok(path) = document.uri.to_file_path() else {
            return;
        };
        let project = project_of(&path);
        changed.push(project.clone());
        self.documents.insert(
            document.uri,
            Document {
                path,
                project,
                version: document.version,
                text: document.text,
                checked_version: None,
                findings: Vec::new(),
                kind: None,
            },
        );
    }

    /// Full synchronisation: the last change holds the whole new text.
    fn change(&mut self, params: DidChangeTextDocumentParams, changed: &mut Vec<PathBuf>) {
        let Some(document) = self.documents.get_mut(&params.text_document.uri) else {
            return;
        };
        if let Some(last) = params.content_changes.into_iter().last() {
            document.text = last.text;
            document.version = params.text_document.version;
            changed.push(document.project.clone());
        }
    }

    /// Clears the document's findings; the rest of its bot is checked again, since it may
    /// have read the closed document's unsaved text.
    fn close(&mut self, uri: &Url, changed: &mut Vec<PathBuf>) {
        if let Some(document) = self.documents.remove(uri) {
            self.publish(uri.clone(), None, Vec::new());
            changed.push(document.project);
        }
    }

    /// Checks the bot in `project` with every open document's text, and publishes the
    /// findings of its open documents.
    fn check_project(&mut self, project: &Path) {
        let open: Vec<Url> = self
            .documents
            .iter()
            .filter(|(_, d)| d.project == project)
            .map(|(uri, _)| uri.clone())
            .collect();
        if open.is_empty() {
            return;
        }
        let (settings, config_error) = settings_for(project);
        let mut errors: Vec<String> = config_error.into_iter().collect();
        let layout = match self.layout_for(project, &settings) {
            Ok(layout) => layout,
            Err(message) => {
                errors.push(message);
                None
            }
        };
        let report = layout.and_then(|mut layout| {
            let texts = self
                .documents
                .values()
                .map(|d| (d.path.clone(), d.text.clone()));
            layout.input.open_documents = Arc::new(texts.collect());
            // A rule's or a reader's panic is a finding; any other ends this check only.
            crate::internal::contain(|| crate::check(&layout, &settings))
                .map_err(|panic| errors.push(format!("rasalint: internal error: {panic}")))
                .ok()
        });
        // An internal error may be shown on a file that is not open: it is said aloud too.
        let internal = report
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|d| InternalError::is(d));
        errors.extend(internal.map(|d| format!("rasalint: {}", d.message)));
        self.show_errors(project, errors);
        for uri in open {
            self.record_findings(&uri, report.as_ref());
        }
        if let Some(report) = &report {
            let declared = names::Declared::from_report(report, self.encoding);
            self.declared.insert(project.to_path_buf(), declared);
        }
    }

    /// The files of the bot in `project` (the open documents among them are read from the
    /// editor). An open file that is not part of the bot (a README, a test story) is not
    /// added to it: Rasa does not read it, and the bot's findings must not depend on which
    /// files are open. Outside any bot nothing is checked: an editor runs the server for
    /// every Markdown and YAML file, and a README elsewhere is no training data. `None`:
    /// nothing to check.
    fn layout_for(&self, project: &Path, settings: &Settings) -> Result<Option<Layout>, String> {
        let options = LayoutOptions {
            domain: settings.domain.clone(),
            data: settings.data.clone(),
            ..LayoutOptions::default()
        };
        let in_a_bot = !options.domain.is_empty()
            || !options.data.is_empty()
            || find_project_root(project).is_some();
        if !in_a_bot {
            return Ok(None);
        }
        // Paths in the configuration are relative to its folder, as for `rasalint check`
        // run there.
        let from = settings.source.as_deref().and_then(Path::parent);
        crate::layout::resolve(&options, from.unwrap_or(project))
            .map(Some)
            .map_err(|message| format!("rasalint: {message}"))
    }

    /// Converts and publishes the findings of one open document: none when the check did
    /// not read it (not part of the bot, or no check could be made), so that no stale
    /// finding stays on screen.
    fn record_findings(&mut self, uri: &Url, report: Option<&crate::Report>) {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        // The file the check read, if it read this very text.
        let read = report.and_then(|r| {
            let files = &r.project.files;
            let at = files
                .iter()
                .position(|f| f.disk_path == document.path && f.text == document.text)?;
            Some((r, crate::source::FileId(at as u32)))
        });
        let findings: Vec<Finding> = match read {
            None => Vec::new(),
            Some((report, id)) => report
                .findings
                .iter()
                // A merged group is shown at each use, in whichever file it is.
                .filter(|f| f.file == id || f.group.is_some())
                .flat_map(Diagnostic::at_each_place)
                .filter(|f| f.file == id)
                .map(|f| Finding {
                    diagnostic: convert::diagnostic(&f, &report.project, encoding),
                    code: f.rule.code,
                    name: f.rule.name,
                    span: f.span.clone(),
                    fix: f.fix.clone(),
                })
                .collect(),
        };
        let diagnostics = findings.iter().map(|f| f.diagnostic.clone()).collect();
        document.findings = findings;
        document.checked_version = read.map(|_| document.version);
        document.kind = read.and_then(|(report, id)| report.project.parts[id.index()].kind());
        let version = document.version;
        self.publish(uri.clone(), Some(version), diagnostics);
    }

    /// Shows the configuration or layout errors of a bot once (again only after they were
    /// fixed and made anew).
    fn show_errors(&mut self, project: &Path, errors: Vec<String>) {
        if errors.is_empty() {
            self.shown_errors.remove(project);
            return;
        }
        let message = errors.join("\n");
        if self.shown_errors.get(project) == Some(&message) {
            return;
        }
        let params = lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: message.clone(),
        };
        self.send(Notification::new("window/showMessage".into(), params).into());
        self.shown_errors.insert(project.to_path_buf(), message);
    }

    fn publish(&self, uri: Url, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn send(&self, message: Message) {
        // The connection closing ends the main loop too; nothing else to do here.
        let _ = self.connection.sender.send(message);
    }

    fn respond(&mut self, request: Request) -> Response {
        let refuse = |code: ErrorCode, message: String| {
            Response::new_err(request.id.clone(), code as i32, message)
        };
        if self.shut_down {
            let message = "the server is shutting down".to_string();
            return refuse(ErrorCode::InvalidRequest, message);
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                return Response::new_ok(request.id, ());
            }
            "initialize" => {
                let message = "the server is already initialized".to_string();
                return refuse(ErrorCode::InvalidRequest, message);
            }
            "textDocument/codeAction"
            | "textDocument/completion"
            | "textDocument/definition"
            | "textDocument/hover" => {}
            other => {
                let message = format!("rasalint does not answer `{other}`");
                return refuse(ErrorCode::MethodNotFound, message);
            }
        }
        let id = request.id.clone();
        // A panic while answering fails this request only.
        match crate::internal::contain(|| self.answer_request(request)) {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err(message)) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
            Err(panic) => {
                let message = format!("rasalint: internal error: {panic}");
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        }
    }

    /// The answer to a request for one of the features: what `answer` gives for it.
    fn answer_request(&self, request: Request) -> Result<serde_json::Value, String> {
        #[cfg(test)]
        crate::internal::panic_if_injected(&format!("answering {}", request.method));
        match request.method.as_str() {
            "textDocument/codeAction" => self.answer(request, |server, p: CodeActionParams| {
                let document = server.documents.get(&p.text_document.uri);
                document.map(|d| actions::code_actions(d, &p, server.encoding))
            }),
            "textDocument/completion" => self.answer(request, |server, p: CompletionParams| {
                let at = p.text_document_position;
                let (document, declared) = server.document_and_names(&at.text_document.uri)?;
                Some(names::completions(
                    document,
                    at.position,
                    declared,
                    server.encoding,
                ))
            }),
            "textDocument/hover" => self.answer(request, |server, p: HoverParams| {
                let at = p.text_document_position_params;
                let document = server.documents.get(&at.text_document.uri)?;
                hover::hover(document, at.position, server.encoding)
            }),
            _ => self.answer(request, |server, p: GotoDefinitionParams| {
                let at = p.text_document_position_params;
                let (document, declared) = server.document_and_names(&at.text_document.uri)?;
                names::definition(document, at.position, declared, server.encoding)
            }),
        }
    }

    /// The answer to a request with parameters `P`: what `answer` gives (`null` for
    /// nothing), or why the parameters could not be read.
    fn answer<P, R>(
        &self,
        request: Request,
        answer: impl FnOnce(&Self, P) -> Option<R>,
    ) -> Result<serde_json::Value, String>
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let method = request.method.clone();
        let (_, params) = request.extract::<P>(&method).map_err(|e| e.to_string())?;
        serde_json::to_value(answer(self, params)).map_err(|e| e.to_string())
    }

    /// An open document and what its bot declares, once both are known.
    fn document_and_names(&self, uri: &Url) -> Option<(&Document, &names::Declared)> {
        let document = self.documents.get(uri)?;
        Some((document, self.declared.get(&document.project)?))
    }
}

/// The settings of the configuration file found upward from the bot's folder (as
/// `rasalint check` run there finds it), with why it could not be read, if it could not:
/// then the defaults are used.
fn settings_for(project: &Path) -> (Settings, Option<String>) {
    let overrides = Overrides::default();
    match find_config(project).map(|p| read_config(&p)).transpose() {
        Ok(config) => (resolve(&config.unwrap_or_default(), &overrides), None),
        Err(error) => {
            let message = format!(
                "rasalint: {}: {} (the default settings are used until it is fixed)",
                error.path.display(),
                error.message
            );
            (resolve(&Default::default(), &overrides), Some(message))
        }
    }
}

/// The bot a file belongs to: the nearest folder upward with a domain, else its own folder.
fn project_of(path: &Path) -> PathBuf {
    let folder = path.parent().unwrap_or(path);
    find_project_root(folder).unwrap_or_else(|| folder.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client of a server that runs on a thread of its own, initialized.
    struct Client {
        connection: Connection,
        server: std::thread::JoinHandle<Result<Ending, String>>,
        next_id: i32,
    }

    impl Client {
        fn start() -> Self {
            let (server, connection) = Connection::memory();
            let server = std::thread::spawn(move || run(&server).map_err(|e| e.to_string()));
            let mut client = Client {
                connection,
                server,
                next_id: 0,
            };
            client.request("initialize", serde_json::json!({"capabilities": {}}));
            client.notify("initialized", serde_json::json!({}));
            client
        }

        fn notify(&self, method: &str, params: serde_json::Value) {
            let notification = Notification::new(method.into(), params);
            self.connection
                .sender
                .send(notification.into())
                .expect("server listens");
        }

        /// Sends a request and waits for its answer; notifications meanwhile are dropped.
        fn request(&mut self, method: &str, params: serde_json::Value) -> Response {
            self.next_id += 1;
            let request = Request::new(self.next_id.into(), method.into(), params);
            self.connection
                .sender
                .send(request.into())
                .expect("server listens");
            loop {
                match self.connection.receiver.recv().expect("server answers") {
                    Message::Response(response) => return response,
                    _ => continue,
                }
            }
        }

        /// The next notification of `method`.
        fn notification(&self, method: &str) -> serde_json::Value {
            loop {
                match self.connection.receiver.recv().expect("server sends") {
                    Message::Notification(n) if n.method == method => return n.params,
                    _ => continue,
                }
            }
        }

        /// The text of the next `window/showMessage`.
        fn message_shown(&self) -> String {
            let shown = self.notification("window/showMessage");
            shown["message"].as_str().unwrap_or_default().to_owned()
        }

        fn open(&self, path: &Path, text: &str) {
            let uri = Url::from_file_path(path).expect("absolute path");
            let document = serde_json::json!({
                "uri": uri, "languageId": "markdown", "version": 1, "text": text
            });
            self.notify(
                "textDocument/didOpen",
                serde_json::json!({"textDocument": document}),
            );
        }

        fn hover(&mut self, path: &Path) -> Response {
            let uri = Url::from_file_path(path).expect("absolute path");
            let at = serde_json::json!({
                "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}
            });
            self.request("textDocument/hover", at)
        }

        fn stop(mut self) -> Result<Ending, String> {
            self.request("shutdown", serde_json::Value::Null);
            self.notify("exit", serde_json::Value::Null);
            self.server.join().expect("the server thread ends")
        }
    }

    fn bot() -> (tempfile::TempDir, PathBuf, &'static str) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("data")).expect("data dir");
        std::fs::write(dir.path().join("domain.yml"), "intents:\n  - greet\n").expect("domain");
        let (nlu, text) = (dir.path().join("data/nlu.md"), "## intent:greet\n- hi \n");
        std::fs::write(&nlu, text).expect("nlu");
        (dir, nlu, text)
    }

    #[test]
    fn a_panic_in_a_check_or_an_answer_is_said_and_the_server_goes_on() {
        let (dir, nlu, text) = bot();
        let root = dir.path().display();
        crate::internal::inject_panic(format!("check {root}"));
        crate::internal::inject_panic("answering textDocument/hover".into());
        let mut client = Client::start();
        client.open(&nlu, text);
        let message = client.message_shown();
        assert!(
            message.starts_with("rasalint: internal error: injected panic: check "),
            "{message}"
        );
        let hover = client.hover(&nlu);
        let error = hover.response_result.expect_err("an error answer");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert!(
            error.message.contains("injected panic: answering"),
            "{}",
            error.message
        );
        let completion = serde_json::json!({
            "textDocument": {"uri": Url::from_file_path(&nlu).expect("path")},
            "position": {"line": 1, "character": 2}
        });
        let answer = client.request("textDocument/completion", completion);
        assert!(answer.response_result.is_ok(), "{answer:?}");
        assert_eq!(client.stop(), Ok(Ending::Clean));
    }

    #[test]
    fn a_rule_that_panics_is_said_and_the_other_findings_are_published() {
        let (dir, nlu, text) = bot();
        crate::internal::inject_panic(format!("rule RL102 in {}", dir.path().display()));
        let client = Client::start();
        client.open(&nlu, text);
        let message = client.message_shown();
        assert!(
            message.starts_with("rasalint: rule RL102 domain-intent-without-examples stopped"),
            "{message}"
        );
        let published = client.notification("textDocument/publishDiagnostics");
        let codes = published["diagnostics"]
            .as_array()
            .map(|d| d.iter().map(|d| &d["code"]));
        assert!(
            codes.into_iter().flatten().any(|c| c == "RL501"),
            "{published}"
        );
        assert_eq!(client.stop(), Ok(Ending::Clean));
    }
}
