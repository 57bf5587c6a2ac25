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

mod actions;
mod convert;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    InitializeParams, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};
use rustc_hash::FxHashMap;

use self::convert::Encoding;
use crate::diagnostic::Edit;
use crate::discover::find_project_root;
use crate::layout::{Layout, LayoutOptions};
use crate::settings::{Overrides, Settings, find_config, read_config, resolve};
use crate::source::Span;

/// The code action kind that applies every safe fix of a document (editors can run it on
/// save, as `source.fixAll.ruff` is run).
const FIX_ALL: &str = "source.fixAll.rasalint";

/// Why the server stopped before the client asked it to exit.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serves one client until it asks the server to exit (or the connection closes).
pub fn run(connection: &Connection) -> Result<(), Error> {
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
        shown_error: None,
    };
    Ok(server.serve()?)
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
    /// The configuration error last shown, so that a mistake is shown once, not on every
    /// keystroke.
    shown_error: Option<String>,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<(), ProtocolError> {
        let connection = self.connection;
        while let Ok(first) = connection.receiver.recv() {
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut requests = Vec::new();
            for message in std::iter::once(first).chain(connection.receiver.try_iter()) {
                match message {
                    Message::Request(request) => {
                        if connection.handle_shutdown(&request)? {
                            return Ok(());
                        }
                        requests.push(request);
                    }
                    Message::Notification(n) if n.method == "exit" => return Ok(()),
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
        }
        Ok(())
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
        // Only files can be part of a bot (an unsaved buffer has no folder to find it in).
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
            .filter(|(_, d)| d.project == project && d.path.exists())
            .map(|(uri, _)| uri.clone())
            .collect();
        if open.is_empty() {
            return;
        }
        let settings = self.settings_for(project);
        let paths = open
            .iter()
            .map(|u| self.documents[u].path.clone())
            .collect();
        let Some(mut layout) = self.layout_for(project, paths, &settings) else {
            return;
        };
        let texts = self
            .documents
            .values()
            .map(|d| (d.path.clone(), d.text.clone()));
        layout.input.open_documents = Arc::new(texts.collect());
        let report = crate::check(&layout, &settings);
        for uri in open {
            self.record_findings(&uri, &report);
        }
    }

    /// Converts and publishes the findings of one open document.
    fn record_findings(&mut self, uri: &Url, report: &crate::Report) {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        let findings: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| report.project.file(f.file).disk_path == document.path)
            .map(|f| Finding {
                diagnostic: convert::diagnostic(f, &report.project, encoding),
                code: f.rule.code,
                name: f.rule.name,
                span: f.span.clone(),
                fix: f.fix.clone(),
            })
            .collect();
        let diagnostics = findings.iter().map(|f| f.diagnostic.clone()).collect();
        document.findings = findings;
        document.checked_version = Some(document.version);
        let version = document.version;
        self.publish(uri.clone(), Some(version), diagnostics);
    }

    /// The settings of the configuration file found from `project`; a configuration that
    /// cannot be read is shown to the user (once) and the defaults are used.
    fn settings_for(&mut self, project: &Path) -> Settings {
        let overrides = Overrides::default();
        match find_config(project).map(|p| read_config(&p)).transpose() {
            Ok(config) => resolve(&config.unwrap_or_default(), &overrides),
            Err(error) => {
                let message = format!(
                    "rasalint: {}: {} (the default settings are used until it is fixed)",
                    error.path.display(),
                    error.message
                );
                self.show_error_once(message);
                resolve(&Default::default(), &overrides)
            }
        }
    }

    /// The files of the bot in `project`, reporting only `paths` (the open documents).
    fn layout_for(
        &mut self,
        project: &Path,
        paths: Vec<PathBuf>,
        settings: &Settings,
    ) -> Option<Layout> {
        let options = LayoutOptions {
            paths,
            domain: settings.domain.clone(),
            data: settings.data.clone(),
            config: None,
        };
        // Paths in the configuration are relative to its folder, as for `rasalint check`
        // run there.
        let from = settings
            .source
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(project);
        match crate::layout::resolve(&options, from) {
            Ok(layout) => Some(layout),
            Err(message) => {
                self.show_error_once(format!("rasalint: {message}"));
                None
            }
        }
    }

    fn show_error_once(&mut self, message: String) {
        if self.shown_error.as_ref() == Some(&message) {
            return;
        }
        let params = lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: message.clone(),
        };
        self.send(Notification::new("window/showMessage".into(), params).into());
        self.shown_error = Some(message);
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

    fn respond(&self, request: Request) -> Response {
        if request.method != "textDocument/codeAction" {
            let message = format!("rasalint does not answer `{}`", request.method);
            return Response::new_err(request.id, ErrorCode::MethodNotFound as i32, message);
        }
        let id = request.id.clone();
        match request.extract::<CodeActionParams>("textDocument/codeAction") {
            Ok((id, params)) => {
                let actions = match self.documents.get(&params.text_document.uri) {
                    Some(document) => actions::code_actions(document, &params, self.encoding),
                    None => Vec::new(),
                };
                Response::new_ok(id, actions)
            }
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }
}

/// The bot a file belongs to: the nearest folder upward with a domain, else its own folder.
fn project_of(path: &Path) -> PathBuf {
    let folder = path.parent().unwrap_or(path);
    find_project_root(folder).unwrap_or_else(|| folder.to_path_buf())
}
