// The Parseltongue extension's entry point: starts `parsel lsp` (the language server, LSP 3.17
// over stdio) as a language client for .pt files, restarts it on request or when its path
// changes. Highlighting, snippets and editing rules are declared in package.json.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

// The server's command: `parseltongue.server.path`, else `parsel` on the PATH. A relative path
// with a slash (`build/bin/parsel`) is taken from the first workspace folder.
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('parseltongue').get('server.path');
  let command = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'parsel';
  if (command.startsWith('~/') && process.env.HOME) command = path.join(process.env.HOME, command.slice(2));
  const folders = vscode.workspace.workspaceFolders;
  if (!path.isAbsolute(command) && command.includes('/') && folders && folders.length > 0) {
    command = path.join(folders[0].uri.fsPath, command);
  }
  return command;
}

async function startClient() {
  const command = serverCommand();
  const run = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'parseltongue',
    'Parseltongue',
    { run, debug: run },
    {
      documentSelector: [
        { scheme: 'file', language: 'parseltongue' },
        { scheme: 'untitled', language: 'parseltongue' },
      ],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.pt,parsel.toml}'),
      },
    },
  );
  try {
    await client.start();
  } catch (error) {
    const why = error && error.message ? error.message : String(error);
    vscode.window.showErrorMessage(
      `Parseltongue: could not start "${command} lsp" (${why}). ` +
        'Set parseltongue.server.path to the parsel binary.',
    );
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that never started cannot be stopped; there is nothing left to do.
    }
  }
}

async function restartClient() {
  await stopClient();
  await startClient();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('parseltongue.restartServer', restartClient),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('parseltongue.server.path')) restartClient();
    }),
  );
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, serverCommand };
