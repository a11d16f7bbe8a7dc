// Expands every snippet of snippets/parseltongue.json with its defaults (the first choice of a
// choice, nothing for $0), puts it in the context it needs (a schema it names, a partition to run
// on, the service around a route), and checks the result: the grammar must tokenize it without
// problems, and with PARSEL set, `$PARSEL check` must accept it: no diagnostic at all, except
// PT9001 for the reserved dialects (oltp_table, olap_table, nagini_component), which this parsel
// refuses by design until their engines land.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const tm = require('./textmate');

const snippets = JSON.parse(fs.readFileSync(path.join(tm.EXTENSION, 'snippets', 'parseltongue.json'), 'utf8'));

// VS Code's snippet syntax, expanded with defaults: `$1`, `${1}`, `${1:default}` (nested),
// `${1|a,b|}`, and the escapes `\$`, `\}`, `\\`. A tabstop used again takes its first default.
function expand(body) {
  const defaults = new Map();
  let i = 0;
  function parse(stopAtBrace) {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
        out += body[i + 1];
        i += 2;
      } else if (c === '}' && stopAtBrace) {
        return out;
      } else if (c === '$' && /\d/.test(body[i + 1] || '')) {
        const m = /^\d+/.exec(body.slice(i + 1));
        i += 1 + m[0].length;
        out += defaults.get(m[0]) || '';
      } else if (c === '$' && body[i + 1] === '{') {
        const m = /^\$\{(\d+)([:|}])/.exec(body.slice(i));
        if (!m) throw new Error(`unsupported snippet syntax at ${JSON.stringify(body.slice(i, i + 20))}`);
        const index = m[1];
        i += m[0].length;
        let value = '';
        if (m[2] === ':') {
          value = parse(true);
          i += 1;  // the closing }
        } else if (m[2] === '|') {
          const end = body.indexOf('|}', i);
          value = body.slice(i, end).split(',')[0];
          i = end + 2;
        }
        if (!defaults.has(index)) defaults.set(index, value);
        out += defaults.get(index);
      } else {
        out += c;
        i += 1;
      }
    }
    if (stopAtBrace) throw new Error('a placeholder is not closed');
    return out;
  }
  return parse(false);
}

const ORDER = 'schema Order {\n    field order_id: i64\n    field product: string\n}\n';
const WORKERS = 'partition workers { cores: 1, scheduler: messaging }\n';
const API = 'partition api { cores: 1, scheduler: backend_api }\n';
const SENDER = 'partition_task send runs_on workers {\n' +
  '    send_message(orders_in, Order { order_id: 1, product: "tea" })\n}\n';

// What each snippet needs around it to check clean, and the diagnostics it is expected to get.
const CONTEXTS = {
  schema: {},
  enum: {},
  function: {},
  program: {},
  partition: { after: 'partition_task idle runs_on workers { print_line("idle") }\n' },
  partition_task: { before: WORKERS },
  channel: { before: ORDER + WORKERS, after: SENDER },
  channel_receiver: {
    before: ORDER + WORKERS + 'channel orders_in carries Order { kind: spsc }\n',
    after: SENDER,
  },
  slytherin_topic: { before: ORDER + WORKERS },
  basilisk_service: { before: ORDER + API },
  route: {
    before: ORDER + API + 'basilisk_service OrderApi runs_on api listens_on port 8080 {\n',
    after: '}\n',
  },
  unsafe_cpp: {
    before: 'program main {\n    let_immutable_var width = 3\n',
    after: '    print_line("{area}")\n}\n',
  },
  nagini_component: { before: ORDER, expect: ['PT9001'] },
  oltp_table: { before: ORDER, expect: ['PT9001'] },
};

function sourceOf(name) {
  const body = snippets[name].body;
  const context = CONTEXTS[name];
  return (context.before || '') + expand(Array.isArray(body) ? body.join('\n') : body) + '\n' + (context.after || '');
}

test('the snippet expander follows VS Code snippet syntax', () => {
  assert.strictEqual(expand('a ${1:x} $1 ${2|p,q|} \\$ ${3:{${4:y}\\}} $0'), 'a x x p $ {y} ');
});

test('every snippet has a prefix, a description and a context to check it in', () => {
  assert.ok(Object.keys(snippets).length >= 12);
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(Array.isArray(s.prefix) && s.prefix.length > 0, `${name}: prefix`);
    assert.ok(typeof s.description === 'string' && s.description.length > 0, `${name}: description`);
    assert.ok(CONTEXTS[name], `${name}: no context in snippets.test.js`);
  }
  const prefixes = Object.values(snippets).flatMap((s) => s.prefix);
  for (const wanted of ['schema', 'enum', 'function', 'program', 'partition', 'task', 'channel', 'receiver',
    'topic', 'service', 'route', 'component', 'table']) {
    assert.ok(prefixes.includes(wanted), `no snippet with the prefix ${wanted}`);
  }
});

test('every expanded snippet tokenizes without problems', async () => {
  const grammar = await tm.loadGrammar();
  const keywords = new Set(tm.keywordsFromReferenceGrammar());
  for (const name of Object.keys(snippets)) {
    const source = sourceOf(name);
    const problems = tm.findProblems(source, tm.tokenize(grammar, source), keywords, () => false);
    assert.deepStrictEqual(problems, [], `${name}:\n${source}`);
  }
});

test('every expanded snippet checks clean with parsel', { skip: !process.env.PARSEL && 'PARSEL is not set' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-snippets-'));
  try {
    let checked = 0;
    for (const name of Object.keys(snippets)) {
      const file = path.join(dir, `${name}.pt`);
      const source = sourceOf(name);
      fs.writeFileSync(file, source);
      let stdout = '';
      try {
        stdout = execFileSync(process.env.PARSEL, ['check', file, '--diagnostics=json'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 30000,
        });
      } catch (error) {
        if (error.status !== 1 || typeof error.stdout !== 'string') throw error;
        stdout = error.stdout;
      }
      const diagnostics = stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
      const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
      const shown = diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n');
      assert.deepStrictEqual(codes, CONTEXTS[name].expect || [], `${name}:\n${source}\n${shown}`);
      checked++;
    }
    console.log(`snippets: ${checked} checked with ${process.env.PARSEL}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
