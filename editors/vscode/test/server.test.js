// The language client's own JSON-RPC library (vscode-jsonrpc, which vscode-languageclient uses
// under VS Code) against the real `$PARSEL lsp`: the handshake VS Code makes, a document with a
// mistake, its diagnostic with the quick fix, hover, shutdown and exit. This is what the stand-in
// tests of extension.test.js cannot show: that the client and our server understand each other
// on the wire. Needs PARSEL (tests/e2e/test_vscode_extension.sh sets it).
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const rpc = require('vscode-jsonrpc/node');

const parsel = process.env.PARSEL;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test('vscode-jsonrpc talks to parsel lsp', { skip: !parsel && 'PARSEL is not set' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-vscode-lsp-'));
  const server = spawn(parsel, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  try {
    const file = path.join(dir, 'area.pt');
    const text = [
      'module area',
      '',
      '/// The area of a width-by-height rectangle.',
      'function area(width: i64, height: i64) returns i64 {',
      '    return width * heigth',
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(file, text);
    const uri = 'file://' + file;
    const published = new Promise((resolve) => {
      connection.onNotification('textDocument/publishDiagnostics', (params) => {
        if (params.uri === uri) resolve(params);
      });
    });
    connection.listen();

    const init = await withTimeout(connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: 'file://' + dir,
      capabilities: { general: { positionEncodings: ['utf-16'] }, textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } },
      workspaceFolders: [{ uri: 'file://' + dir, name: 'area' }],
    }), 5000, 'initialize');
    const caps = init.capabilities;
    for (const provider of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'completionProvider',
      'documentSymbolProvider', 'documentFormattingProvider', 'codeActionProvider']) {
      assert.ok(caps[provider], `the server announces ${provider}`);
    }
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'parseltongue', version: 1, text },
    });

    const diagnostics = (await withTimeout(published, 5000, 'publishDiagnostics')).diagnostics;
    const misspelled = diagnostics.find((d) => d.code === 'PT2001');
    assert.ok(misspelled, `PT2001 among ${JSON.stringify(diagnostics)}`);
    assert.deepStrictEqual(misspelled.range.start, { line: 4, character: 19 });

    const actions = await withTimeout(connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: misspelled.range, context: { diagnostics: [misspelled] },
    }), 5000, 'codeAction');
    const edits = actions.flatMap((a) => (a.edit && a.edit.changes && a.edit.changes[uri]) || []);
    assert.ok(edits.some((e) => e.newText === 'height'), `a quick fix writes 'height': ${JSON.stringify(actions)}`);

    const hover = await withTimeout(connection.sendRequest('textDocument/hover', {
      textDocument: { uri }, position: { line: 3, character: 10 },
    }), 5000, 'hover');
    const shown = typeof hover.contents === 'string' ? hover.contents : hover.contents.value;
    assert.match(shown, /width-by-height rectangle/);

    await withTimeout(connection.sendRequest('shutdown'), 5000, 'shutdown');
    await connection.sendNotification('exit');
    assert.strictEqual(await withTimeout(exited, 5000, 'exit'), 0, `exit status; stderr: ${stderr}`);
  } finally {
    connection.dispose();
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
