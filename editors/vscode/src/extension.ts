// The VS Code client: starts `reqdsl lsp` over stdio for `.req` files. Every language
// feature (diagnostics, navigation, completion, rename, outline, formatting, quick
// fixes) comes from the server; this file only starts and stops it.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const configured = vscode.workspace
    .getConfiguration("reqdsl")
    .get<string[]>("server.command", ["reqdsl", "lsp"]);
  const [command, ...args] = configured.length > 0 ? configured : ["reqdsl", "lsp"];
  return { command, args, transport: TransportKind.stdio };
}

async function start(): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "req" },
      { scheme: "untitled", language: "req" },
    ],
    synchronize: {
      // files changed outside the editor (git checkout, generators) reach the server
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/*.req"),
        vscode.workspace.createFileSystemWatcher("**/reqdsl.toml"),
      ],
    },
  };
  client = new LanguageClient("reqdsl", "reqdsl", serverOptions(), clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("reqdsl.restartServer", async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("reqdsl.server.command")) {
        await vscode.commands.executeCommand("reqdsl.restartServer");
      }
    }),
  );
  try {
    await start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `reqdsl: cannot start the language server (${String(error)}). ` +
        "Install reqdsl (pip install reqdsl) or set `reqdsl.server.command`.",
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
