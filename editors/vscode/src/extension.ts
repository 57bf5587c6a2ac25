// The rasalint extension: runs `rasalint server` (the language server built into the
// rasalint binary) for Markdown and YAML files. The server itself decides which of them
// belong to a bot (it checks nothing outside a folder with a domain), so the extension
// only finds the binary, starts it, and restarts it on request or when its path changes.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

const NAME = "rasalint";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(NAME, { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("rasalint.restart", () => restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("rasalint.path")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`rasalint: stopping the server failed: ${String(error)}`);
    }
  }
}

/** Starts the server, or says why it cannot be started. */
async function start(): Promise<void> {
  const found = findBinary();
  if ("problem" in found) {
    output?.appendLine(found.problem);
    const choice = await vscode.window.showErrorMessage(found.problem, "Open Settings");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "rasalint.path");
    }
    return;
  }
  output?.appendLine(`rasalint: starting ${found.binary} server`);
  // Stdio, but no `transport` here: TransportKind.stdio would add a `--stdio` argument,
  // which `rasalint server` refuses.
  const run = { command: found.binary, args: ["server"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    // Only files on disk can be part of a bot; the server ignores the rest of them too.
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "yaml" },
    ],
    outputChannel: output,
  };
  client = new LanguageClient(NAME, "rasalint", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = `rasalint: the language server (${found.binary} server) did not start: ${String(error)}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

type Found = { binary: string } | { problem: string };

/** The binary named by `rasalint.path`, else `rasalint` on the PATH. */
function findBinary(): Found {
  const configured = vscode.workspace.getConfiguration(NAME).get<string>("path", "").trim();
  if (configured !== "") {
    const binary = resolveConfigured(configured);
    if (isExecutable(binary)) {
      return { binary };
    }
    return {
      problem:
        `rasalint: the setting rasalint.path is "${configured}", ` +
        `but ${binary} is not an executable file.`,
    };
  }
  const onPath = searchPath("rasalint");
  if (onPath) {
    return { binary: onPath };
  }
  return {
    problem:
      "rasalint: the rasalint command was not found on the PATH. Install it " +
      "(pip install rasalint, or cargo install rasalint) or set rasalint.path to the binary.",
  };
}

/** A configured path: `~` is the home folder, a relative path is from the first workspace folder. */
function resolveConfigured(configured: string): string {
  let expanded = configured;
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = path.join(os.homedir(), expanded.slice(1));
  }
  if (path.isAbsolute(expanded)) {
    return expanded;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.resolve(folder ?? process.cwd(), expanded);
}

/** The first executable `name` in a folder of the PATH (with PATHEXT's endings on Windows). */
function searchPath(name: string): string | undefined {
  const folders = (process.env.PATH ?? "").split(path.delimiter).filter((f) => f !== "");
  const endings =
    process.platform === "win32"
      ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").map((e) => e.toLowerCase())
      : [""];
  for (const folder of folders) {
    for (const ending of endings) {
      const candidate = path.join(folder, name + ending);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
