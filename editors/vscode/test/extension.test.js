// The manifest and the language client without VS Code: package.json's contributions point at
// files that exist and parse, and extension.js (run against small stand-ins for the `vscode`
// module and vscode-languageclient) starts `<parseltongue.server.path> lsp` over stdio, restarts
// it on the command and when the path changes, and stops it on deactivate.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const Module = require('module');
const tm = require('./textmate');

const pkg = JSON.parse(fs.readFileSync(path.join(tm.EXTENSION, 'package.json'), 'utf8'));

test('package.json contributes the language, grammar, snippets, settings and command', () => {
  const c = pkg.contributes;
  assert.strictEqual(pkg.main, './extension.js');
  assert.deepStrictEqual(c.languages[0].extensions, ['.pt']);
  for (const file of [pkg.main, c.languages[0].configuration, c.grammars[0].path, c.snippets[0].path, 'LICENSE', 'README.md']) {
    assert.ok(fs.existsSync(path.join(tm.EXTENSION, file)), `${file} is missing`);
  }
  assert.strictEqual(c.grammars[0].scopeName, 'source.parseltongue');
  assert.ok(c.configuration.properties['parseltongue.server.path']);
  assert.ok(c.configuration.properties['parseltongue.trace.server']);
  assert.strictEqual(c.commands[0].command, 'parseltongue.restartServer');
  for (const deps of [pkg.dependencies, pkg.devDependencies]) {
    for (const [name, version] of Object.entries(deps)) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is not pinned to an exact version`);
    }
  }
});

test('language-configuration.json parses and its patterns compile', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(tm.EXTENSION, 'language-configuration.json'), 'utf8'));
  assert.strictEqual(conf.comments.lineComment, '//');
  assert.deepStrictEqual(conf.comments.blockComment, ['/*', '*/']);
  const increase = new RegExp(conf.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(conf.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test('schema Order {'));
  assert.ok(increase.test('    route GET "/orders/{id: i64}" returns Order {  // a route'));
  assert.ok(!increase.test('    print_line("total {price}")'));
  assert.ok(!increase.test('// a comment {'));
  assert.ok(decrease.test('    }'));
  const docRule = conf.onEnterRules.find((r) => r.action.appendText === '/// ');
  assert.ok(new RegExp(docRule.beforeText).test('    /// A doc comment.'));
  assert.ok(new RegExp(conf.folding.markers.start).test('// region setup'));
  new RegExp(conf.wordPattern);
});

// extension.js against stand-ins: returns what it did.
async function runExtension(settings) {
  const log = { clients: [], commands: new Map(), configListeners: [] };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      log.clients.push(this);
    }
    async start() { this.started = true; }
    async stop() { this.stopped = true; }
  }
  const vscode = {
    workspace: {
      getConfiguration: () => ({ get: (key) => settings[key] }),
      workspaceFolders: [{ uri: { fsPath: '/work/project' } }],
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: (listener) => { log.configListeners.push(listener); return { dispose() {} }; },
    },
    commands: { registerCommand: (id, fn) => { log.commands.set(id, fn); return { dispose() {} }; } },
    window: { showErrorMessage: (m) => { log.error = m; } },
  };
  const fakes = { vscode, 'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0 } } };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return Object.prototype.hasOwnProperty.call(fakes, request) ? fakes[request] : load.call(this, request, ...rest);
  };
  const file = path.join(tm.EXTENSION, 'extension.js');
  delete require.cache[require.resolve(file)];
  try {
    const extension = require(file);
    const context = { subscriptions: [] };
    await extension.activate(context);
    log.extension = extension;
    log.context = context;
  } finally {
    Module._load = load;
  }
  return log;
}

test('the client starts `parsel lsp` over stdio, restarts and stops', async () => {
  const settings = { 'server.path': '' };
  const log = await runExtension(settings);
  assert.strictEqual(log.clients.length, 1);
  const first = log.clients[0];
  assert.strictEqual(first.id, 'parseltongue');  // so parseltongue.trace.server applies
  assert.deepStrictEqual(first.serverOptions.run, { command: 'parsel', args: ['lsp'], transport: 0 });
  assert.ok(first.started);
  assert.deepStrictEqual(first.clientOptions.documentSelector.map((s) => s.language), ['parseltongue', 'parseltongue']);

  settings['server.path'] = 'build/bin/parsel';
  await log.commands.get('parseltongue.restartServer')();
  assert.ok(first.stopped);
  assert.strictEqual(log.clients[1].serverOptions.run.command, '/work/project/build/bin/parsel');

  settings['server.path'] = '/opt/parsel/bin/parsel';
  log.configListeners[0]({ affectsConfiguration: (key) => key === 'parseltongue.server.path' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.strictEqual(log.clients.length, 3);
  assert.strictEqual(log.clients[2].serverOptions.run.command, '/opt/parsel/bin/parsel');
  log.configListeners[0]({ affectsConfiguration: () => false });
  assert.strictEqual(log.clients.length, 3);

  await log.extension.deactivate();
  assert.ok(log.clients[2].stopped);
  assert.strictEqual(log.context.subscriptions.length, 2);
});
