// The Camp extension: TextMate highlighting comes from package.json; everything else from
// `camp lsp`, started here over stdio with vscode-languageclient.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('camp');
  const command = config.get('path', 'camp');
  const run = { command, args: ['lsp', '--debounce', String(config.get('debounceMs', 50))], transport: TransportKind.stdio };
  client = new LanguageClient(
    'camp',
    'Camp',
    { run, debug: run },
    {
      documentSelector: [{ language: 'camp' }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.camp') },
    },
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('camp.restartServer', () => client && client.restart()),
  );
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `Camp: could not start \`${command} lsp\` (${err.message}). Set "camp.path" to the camp executable.`,
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
