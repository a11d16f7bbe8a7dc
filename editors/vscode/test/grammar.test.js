// Tokenizes every .pt file under examples/, tests/ and stdlib/ with the extension's grammar (through
// vscode-textmate and vscode-oniguruma, as VS Code does) and fails on a token marked invalid
// where the compiler sees no lexical error, a reserved word not scoped as a keyword, or code the
// grammar leaves unscoped; then checks what the main constructs are scoped as.
//
// Which lines the compiler refuses: with PARSEL set (tests/e2e/test_vscode_extension.sh sets
// it), `$PARSEL check FILE --diagnostics=json` says, per line (PT1002 unknown character, PT1003
// unterminated string, PT1004 unknown escape), and every such line must have an invalid token
// too. Without it, the files listed in lexically-broken.txt may hold invalid tokens anywhere.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const tm = require('./textmate');

const LEXICAL_CODES = new Set(['PT1002', 'PT1003', 'PT1004']);
const SKIPPED_DIRS = new Set(['Output', 'build', 'node_modules']);

function ptFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) ptFiles(full, out);
    else if (entry.isFile() && entry.name.endsWith('.pt')) out.push(full);
  }
  return out;
}

// The lines (1-based) of the file that `parsel check` reports a lexical error on.
function lexicalErrorLines(parsel, file) {
  let stdout;
  try {
    stdout = execFileSync(parsel, ['check', file, '--diagnostics=json'], {
      cwd: tm.REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30000,
    });
  } catch (error) {
    if (error.status !== 1 || typeof error.stdout !== 'string') throw error;
    stdout = error.stdout;  // exit status 1: the file has errors
  }
  const lines = new Set();
  for (const text of stdout.split('\n')) {
    if (!text.trim()) continue;
    const d = JSON.parse(text);
    if (LEXICAL_CODES.has(d.code) && path.resolve(tm.REPO, d.file) === file) lines.add(d.line);
  }
  return lines;
}

function inCpp(token) {
  return token.scopes.some((s) => s.startsWith('meta.embedded.block.cpp'));
}

function listedBrokenFiles() {
  const list = fs.readFileSync(path.join(__dirname, 'lexically-broken.txt'), 'utf8');
  return new Set(
    list.split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean)
      .map((l) => path.join(tm.REPO, l)),
  );
}

test('every .pt file of examples/, tests/ and stdlib/ tokenizes without problems', async () => {
  const grammar = await tm.loadGrammar();
  const keywords = new Set(tm.keywordsFromReferenceGrammar());
  assert.ok(keywords.size >= 50, `only ${keywords.size} keywords read from grammar/Parseltongue.g4`);
  const files = ['examples', 'tests', 'stdlib'].flatMap((dir) => ptFiles(path.join(tm.REPO, dir))).sort();
  assert.ok(files.length >= 100, `only ${files.length} .pt files found`);
  const parsel = process.env.PARSEL;
  const listed = parsel ? null : listedBrokenFiles();
  const lexicalFound = new Set();
  let tokenCount = 0;
  let lexicalFiles = 0;
  const problems = [];
  for (const file of files) {
    const rel = path.relative(tm.REPO, file);
    const text = fs.readFileSync(file, 'utf8');
    const tokens = tm.tokenize(grammar, text);
    tokenCount += tokens.length;
    let invalidAllowed;
    if (parsel) {
      const lines = lexicalErrorLines(parsel, file);
      if (lines.size > 0) lexicalFiles++;
      invalidAllowed = (line) => lines.has(line);
      if (lines.size > 0) lexicalFound.add(file);
      for (const line of lines) {
        const here = tokens.filter((t) => t.line === line);
        // An unsafe_cpp block whose braces never balance is plain code to the lexer, but a
        // line-by-line grammar cannot look ahead: it stays C++ to the end of the file.
        if (here.length > 0 && here.every(inCpp)) continue;
        if (!here.some(tm.isInvalid)) {
          problems.push(`${rel}:${line}: parsel reports a lexical error here, the grammar marks nothing invalid`);
        }
      }
    } else {
      const broken = listed.has(file);
      if (broken) lexicalFiles++;
      invalidAllowed = () => broken;
    }
    for (const p of tm.findProblems(text, tokens, keywords, invalidAllowed)) problems.push(`${rel}:${p}`);
  }
  if (parsel) {
    const stale = [...listedBrokenFiles()].filter((f) => !lexicalFound.has(f))
      .concat([...lexicalFound].filter((f) => !listedBrokenFiles().has(f)));
    if (stale.length > 0) {
      console.log(`note: test/lexically-broken.txt is out of date for ${stale.map((f) => path.relative(tm.REPO, f)).join(', ')}`);
    }
  }
  const mode = parsel ? `lexical errors from ${parsel}` : 'lexical errors from test/lexically-broken.txt';
  console.log(`grammar: ${files.length} files, ${tokenCount} tokens, ${problems.length} problems ` +
    `(${lexicalFiles} files with lexical errors; ${mode})`);
  assert.deepStrictEqual(problems.slice(0, 50), [], `${problems.length} problems`);
});

// The scopes of the token holding the first character of `needle` (its `occurrence`-th match)
// in `source`, with the token's text.
async function tokenAt(source, needle, occurrence = 1) {
  const grammar = await tm.loadGrammar();
  const tokens = tm.tokenize(grammar, source);
  const lines = source.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    let from = 0;
    for (;;) {
      const at = lines[i].indexOf(needle, from);
      if (at < 0) break;
      if (++seen === occurrence) {
        const t = tokens.find((x) => x.line === i + 1 && x.column <= at + 1 && at + 1 < x.column + x.text.length);
        assert.ok(t, `no token at ${needle}`);
        return { text: t.text, scopes: t.scopes.join(' ') };
      }
      from = at + 1;
    }
  }
  throw new Error(`${JSON.stringify(needle)} not in the source`);
}

async function assertScope(source, needle, pattern, occurrence = 1) {
  const t = await tokenAt(source, needle, occurrence);
  assert.match(t.scopes, pattern, `${JSON.stringify(needle)} (token ${JSON.stringify(t.text)}) is ${t.scopes}`);
  return t;
}

test('every pattern of the grammar compiles with Oniguruma', async () => {
  await tm.loadGrammar();  // loads the WASM engine
  const oniguruma = require('vscode-oniguruma');
  const raw = JSON.parse(fs.readFileSync(path.join(tm.EXTENSION, 'syntaxes', 'parseltongue.tmLanguage.json'), 'utf8'));
  let count = 0;
  (function walk(node) {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const key of ['match', 'begin', 'end']) {
      if (typeof node[key] === 'string') {
        assert.doesNotThrow(() => new oniguruma.OnigScanner([node[key]]).dispose(), `${key}: ${node[key]}`);
        count++;
      }
    }
    Object.values(node).forEach(walk);
  })(raw);
  assert.ok(count > 50, `only ${count} patterns`);
});

test('every reserved word of grammar/Parseltongue.g4 is scoped as a keyword on its own', async () => {
  const grammar = await tm.loadGrammar();
  for (const word of tm.keywordsFromReferenceGrammar()) {
    const [t] = tm.tokenize(grammar, word);
    assert.strictEqual(t.text, word);
    assert.ok(tm.isKeywordScope(t), `${word}: ${t.scopes.join(' ')}`);
  }
});

test('every built-in function of compiler/sema/builtins.def is scoped support.function.builtin', async () => {
  for (const name of tm.builtinsFromCompiler()) {
    await assertScope(`program main { ${name}(x) }`, name, /support\.function\.builtin\.parseltongue$/);
  }
  await assertScope('let_immutable_var n = length', 'length', /variable\.other\.parseltongue$/, 1);
});

test('interpolation holes are embedded code with punctuation; escapes are constants', async () => {
  const src = 'print_line("total {price * 2.0} for {name}\\n \\{not a hole\\} \\q")';
  const open = await assertScope(src, '{price', /meta\.embedded\.line\.interpolation\.parseltongue punctuation\.section\.embedded\.begin/);
  assert.strictEqual(open.text, '{');
  await assertScope(src, 'price', /string\.quoted\.double.*meta\.embedded\.line.*variable\.other\.parseltongue$/);
  await assertScope(src, '*', /meta\.embedded.*keyword\.operator\.arithmetic/);
  await assertScope(src, '2.0', /meta\.embedded.*constant\.numeric\.float/);
  await assertScope(src, '} for', /punctuation\.section\.embedded\.end/);
  await assertScope(src, ' for ', /^source\.parseltongue string\.quoted\.double\.parseltongue$/);
  await assertScope(src, '\\n', /constant\.character\.escape/);
  await assertScope(src, '\\{', /constant\.character\.escape/);
  await assertScope(src, 'not a hole', /string\.quoted\.double\.parseltongue$/);
  await assertScope(src, '\\q', /invalid\.illegal\.unknown-escape/);
  await assertScope('print_line("{f("x")} done")', 'x', /meta\.embedded.*string\.quoted\.double/);
  await assertScope('print_line("{f("x")} done")', 'done', /^source\.parseltongue string\.quoted\.double\.parseltongue$/);
  // Not closed on its line: the compiler refuses it (PT1003), and so does the grammar.
  await assertScope('print_line("no end)', '"', /invalid\.illegal\.unterminated-string/);
  await assertScope('print_line("hole {x")', '"', /invalid\.illegal\.unterminated-string/);
});

test('durations are numbers with a unit', async () => {
  for (const d of ['5 seconds', '2 ms', '250 ns', '5 us', '1 second', '2 minutes', '1 hour', '7 days', '1_000 ms', '3\tday']) {
    const src = `let_immutable_var wait = ${d}`;
    await assertScope(src, d.split(/\s/)[0], /constant\.numeric\.duration\.parseltongue constant\.numeric\.integer/);
    await assertScope(src, d.split(/\s/)[1], /constant\.numeric\.duration\.parseltongue keyword\.other\.unit/);
  }
  await assertScope('let_immutable_var wait = 5 s', 's', /variable\.other\.parseltongue$/);
  await assertScope('let_immutable_var x = 1_000', '1_000', /constant\.numeric\.integer\.parseltongue$/);
  await assertScope('let_immutable_var x = 1.0e-3', '1.0e-3', /constant\.numeric\.float\.parseltongue$/);
});

test('comments: doc, line and block', async () => {
  const src = '/// A doc comment.\n// a line comment with schema in it\nschema S { field a: i64 /* inline\n still a comment */ }';
  await assertScope(src, '///', /comment\.line\.documentation\.parseltongue punctuation\.definition\.comment/);
  await assertScope(src, 'A doc', /comment\.line\.documentation\.parseltongue$/);
  await assertScope(src, 'schema in', /comment\.line\.double-slash/);
  await assertScope(src, 'inline', /comment\.block\.parseltongue$/);
  await assertScope(src, 'still', /comment\.block\.parseltongue$/);
  await assertScope(src, '}', /punctuation\.section\.block\.end/, 1);
});

test('Basilisk, Slytherin, table and Nagini words are keywords where they mean something', async () => {
  const service = [
    'basilisk_service OrderApi runs_on api listens_on port 8080 {',
    '    limits { request_timeout: 5 seconds }',
    '    let_mut_var port: i64 = 1',
    '    route GET "/orders/{order_id: i64}" query(limit: i64 = 10) accepts NewOrder returns Order {',
    '        return_ok(request_body)',
    '    }',
    '    route POST "/orders" accepts NewOrder { return_no_content() }',
    '}',
    'function limits(query: i64, accepts: i64) returns i64 { return query }',
  ].join('\n');
  await assertScope(service, 'basilisk_service', /keyword\.other\.dialect\.basilisk/);
  await assertScope(service, 'OrderApi', /entity\.name\.type\.service/);
  await assertScope(service, 'listens_on', /keyword\.other\.dialect\.basilisk/);
  await assertScope(service, 'port', /keyword\.other\.dialect\.basilisk/, 1);
  await assertScope(service, 'port', /variable\.other\.definition/, 2);
  await assertScope(service, 'limits', /keyword\.other\.dialect\.basilisk/, 1);
  await assertScope(service, 'limits', /entity\.name\.function/, 2);
  await assertScope(service, 'route', /keyword\.other\.dialect\.basilisk/);
  await assertScope(service, 'GET', /keyword\.other\.http-method/);
  await assertScope(service, 'POST', /keyword\.other\.http-method/);
  await assertScope(service, 'order_id', /string\.quoted\.double\.path.*variable\.parameter\.path/);
  await assertScope(service, 'i64}', /string\.quoted\.double\.path.*support\.type\.primitive/);
  await assertScope(service, 'query', /keyword\.other\.dialect\.basilisk/, 1);
  await assertScope(service, 'query', /variable\.parameter/, 2);
  await assertScope(service, 'limit:', /variable\.parameter/);
  await assertScope(service, 'accepts', /keyword\.other\.dialect\.basilisk/, 1);
  await assertScope(service, 'accepts', /variable\.parameter/, 3);
  await assertScope(service, 'returns', /keyword\.other\.returns/);
  await assertScope(service, 'return_ok', /support\.function\.builtin/);
  await assertScope(service, 'request_body', /variable\.language/);

  const stream = [
    'slytherin_topic order_events carries Order {',
    '    partitions: 4',
    '    durability: fsync_batched(max_delay: 5 ms)',
    '    latency_budget: p99 under 2 ms',
    '}',
    'slytherin_consumer Counter runs_on stream reads order_events group "revenue" members 2 {',
    '    on_message(order: Order) { publish_message(order_events, order) }',
    '}',
    'function f(group: i64, members: i64) returns i64 { return group + members }',
  ].join('\n');
  await assertScope(stream, 'slytherin_topic', /keyword\.other\.dialect\.slytherin/);
  await assertScope(stream, 'order_events', /entity\.name\.type\.topic/);
  await assertScope(stream, 'carries', /keyword\.other\.carries/);
  await assertScope(stream, 'partitions', /variable\.other\.property/);
  await assertScope(stream, 'fsync_batched', /entity\.name\.function\.call/);
  await assertScope(stream, 'p99', /constant\.language\.percentile/);
  await assertScope(stream, 'under', /keyword\.other\.dialect\.slytherin/);
  await assertScope(stream, 'slytherin_consumer', /keyword\.other\.dialect\.slytherin/);
  await assertScope(stream, 'group', /keyword\.other\.dialect\.slytherin/, 1);
  await assertScope(stream, 'members', /keyword\.other\.dialect\.slytherin/, 1);
  await assertScope(stream, 'group', /variable\.parameter/, 2);
  await assertScope(stream, 'members', /variable\.other\.parseltongue$/, 3);
  await assertScope(stream, 'on_message', /keyword\.other\.handler/);
  await assertScope(stream, 'order:', /variable\.parameter/);

  const dialects = 'oltp_table orders_by_id stores Order key order_id\nolap_table facts stores Order\n' +
    'nagini_component OrderList(orders: list<Order>) { render { column { text("n") } } }';
  await assertScope(dialects, 'oltp_table', /keyword\.other\.dialect\.tables/);
  await assertScope(dialects, 'olap_table', /keyword\.other\.dialect\.tables/);
  await assertScope(dialects, 'nagini_component', /keyword\.other\.dialect\.nagini/);
  await assertScope(dialects, 'OrderList', /entity\.name\.type\.component/);
});

test('system constructs, bindings and types', async () => {
  const src = [
    'partition producers { cores: 1, scheduler: messaging }',
    'channel readings carries Reading { kind: spsc, capacity: 1024 }',
    'partition_task produce runs_on producers { send_message(readings, Reading { sequence: 1 }) }',
    'channel_receiver total runs_on consumers reads readings {',
    '    let_mut_var sum: i64 = 0',
    '    on_message(reading: Reading) { set_var sum = sum + reading.value }',
    '    on_channel_closed { print_line("sum {sum}") }',
    '}',
    'enum Size { small, medium, large }',
    'function pick(size: Size, names: map<string, list<optional<bytes>>>) returns duration { return 5 ms }',
  ].join('\n');
  await assertScope(src, 'partition', /storage\.type\.partition/);
  await assertScope(src, 'producers', /entity\.name\.type\.partition/);
  await assertScope(src, 'cores', /variable\.other\.property/);
  await assertScope(src, 'channel', /storage\.type\.channel/);
  await assertScope(src, 'partition_task', /storage\.type\.partition_task/);
  await assertScope(src, 'produce ', /entity\.name\.function\.partition_task/);
  await assertScope(src, 'channel_receiver', /storage\.type\.channel_receiver/);
  await assertScope(src, 'reads', /keyword\.other\.reads/);
  await assertScope(src, 'let_mut_var', /storage\.type\.binding/);
  await assertScope(src, 'set_var', /keyword\.other\.set-var/);
  await assertScope(src, '.value', /punctuation\.accessor/);
  await assertScope(src, 'value', /variable\.other\.property/);
  await assertScope(src, 'on_channel_closed', /keyword\.other\.handler/);
  await assertScope(src, 'small', /variable\.other\.enummember/);
  await assertScope(src, 'Size', /entity\.name\.type\.enum/);
  await assertScope(src, 'pick', /entity\.name\.function\.function/);
  await assertScope(src, 'size:', /variable\.parameter/);
  await assertScope(src, 'map', /support\.type\.builtin\.generic/);
  await assertScope(src, 'bytes', /support\.type\.primitive/);
  await assertScope(src, 'Reading', /entity\.name\.type/, 2);
});

test('unsafe_cpp blocks are embedded C++ up to the brace that balances', async () => {
  const src = [
    'program main {',
    '    unsafe_cpp(inputs: width; outputs: area: i64) {',
    '        if (width > 0) { area = width * width; } return;',
    '    }',
    '    print_line("{area}")',
    '}',
  ].join('\n');
  await assertScope(src, 'unsafe_cpp', /keyword\.other\.unsafe/);
  await assertScope(src, 'inputs', /keyword\.other\.inputs/);
  await assertScope(src, ';', /punctuation\.separator\.inputs-outputs/);
  await assertScope(src, 'area:', /variable\.parameter/);
  await assertScope(src, 'if (', /meta\.embedded\.block\.cpp source\.cpp/);
  await assertScope(src, 'return;', /meta\.embedded\.block\.cpp source\.cpp/);
  await assertScope(src, '}', /punctuation\.section\.embedded\.end/, 2);
  await assertScope(src, 'print_line', /support\.function\.builtin/);
});

test('characters the lexer refuses are invalid; everything else has a scope', async () => {
  for (const c of ['€', '#', '$', '@', '~', '`', '\\', '^', '&', '|', '!', '?', "'"]) {
    await assertScope(`let_immutable_var x = 1 ${c} 2`, c, /invalid\.illegal\.character/);
  }
  const grammar = await tm.loadGrammar();
  const ops = 'a == b != c <= d >= e < f > g = h + i - j * k / l % m . n , o : p ; q ( r ) [ s ] { t }';
  const problems = tm.findProblems(ops, tm.tokenize(grammar, ops), new Set(), () => false);
  assert.deepStrictEqual(problems, []);
});
