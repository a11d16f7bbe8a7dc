// Shared by the tests: loads the extension's TextMate grammar with vscode-textmate and
// vscode-oniguruma (the engine VS Code itself uses), tokenizes text, and tells which tokens are
// code (as opposed to strings, comments and embedded C++).
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const EXTENSION = path.resolve(__dirname, '..');
const REPO = path.resolve(EXTENSION, '..', '..');
const ROOT_SCOPE = 'source.parseltongue';

let grammarPromise;

// The grammar of syntaxes/parseltongue.tmLanguage.json. `source.cpp` (included for unsafe_cpp
// blocks) is not available outside VS Code: the block is then scoped without C++ tokens.
function loadGrammar() {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      const wasmPath = path.join(EXTENSION, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');
      const wasm = fs.readFileSync(wasmPath);
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
          createOnigString: (text) => new oniguruma.OnigString(text),
        }),
        loadGrammar: async (scopeName) => {
          if (scopeName !== ROOT_SCOPE) return null;
          const file = path.join(EXTENSION, 'syntaxes', 'parseltongue.tmLanguage.json');
          return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
        },
      });
      const grammar = await registry.loadGrammar(ROOT_SCOPE);
      if (!grammar) throw new Error('the grammar did not load');
      return grammar;
    })();
  }
  return grammarPromise;
}

// Every token of the text: { line (1-based), column (1-based), text, scopes }.
function tokenize(grammar, text) {
  const tokens = [];
  let stack = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const result = grammar.tokenizeLine(line, stack, 10000);
    if (result.stoppedEarly) throw new Error(`tokenizing line ${i + 1} took too long`);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (t.startIndex >= end) continue;
      tokens.push({ line: i + 1, column: t.startIndex + 1, text: line.slice(t.startIndex, end), scopes: t.scopes });
    }
    stack = result.ruleStack;
  }
  return tokens;
}

// Whether the token is code the compiler lexes as tokens: not inside a string (except inside an
// interpolation hole), a comment, or an unsafe_cpp block's C++.
function isCode(token) {
  for (let i = token.scopes.length - 1; i >= 0; i--) {
    const s = token.scopes[i];
    if (s.startsWith('meta.embedded.line.interpolation')) return true;
    if (s.startsWith('string.') || s.startsWith('comment.')) return false;
    if (s.startsWith('meta.embedded.block.cpp') || s === 'source.cpp') return false;
  }
  return true;
}

// Whether the grammar gave the token nothing but the root scope and wrapping `meta.*` scopes.
function isUnscoped(token) {
  return token.scopes.every((s) => s === ROOT_SCOPE || s.startsWith('meta.'));
}

function isInvalid(token) {
  return token.scopes.some((s) => s.startsWith('invalid.'));
}

// The scopes a reserved word may carry.
function isKeywordScope(token) {
  const inner = token.scopes[token.scopes.length - 1];
  return /^(keyword|storage|constant\.language|support\.type)\./.test(inner);
}

// The keywords of the language: the lexer rules of grammar/Parseltongue.g4 whose text is a word
// (`SCHEMA: 'schema';`, `UNSAFE_CPP: 'unsafe_cpp' { ... };`).
function keywordsFromReferenceGrammar() {
  const g4 = fs.readFileSync(path.join(REPO, 'grammar', 'Parseltongue.g4'), 'utf8');
  const words = [];
  for (const m of g4.matchAll(/^([A-Z][A-Z_]*)\s*:\s*'([a-z_][a-z_0-9]*)'\s*(?:\{[^}\n]*\}\s*)?;/gm)) {
    words.push(m[2]);
  }
  return words;
}

// The built-in functions: the spellings in compiler/sema/builtins.def.
function builtinsFromCompiler() {
  const def = fs.readFileSync(path.join(REPO, 'compiler', 'sema', 'builtins.def'), 'utf8');
  return [...def.matchAll(/^PT_BUILTIN\(\w+,\s*"(\w+)"/gm)].map((m) => m[1]);
}

// The problems of one tokenized text:
// - a token scoped `invalid.*`, unless `invalidAllowed(line)` (the compiler refuses that line's
//   characters too);
// - a reserved word in code that is not a token of its own with a keyword scope;
// - a token of code that has no scope of its own (only the root and `meta.*` scopes).
function findProblems(text, tokens, keywords, invalidAllowed) {
  const problems = [];
  const where = (t) => `${t.line}:${t.column}`;
  const show = (t) => `${JSON.stringify(t.text)} [${t.scopes.slice(1).join(' ') || ROOT_SCOPE}]`;
  const byLine = new Map();
  for (const t of tokens) {
    if (!byLine.has(t.line)) byLine.set(t.line, []);
    byLine.get(t.line).push(t);
    if (isInvalid(t) && !invalidAllowed(t.line)) {
      problems.push(`${where(t)}: marked invalid: ${show(t)}`);
    } else if (isCode(t) && /\S/.test(t.text) && isUnscoped(t)) {
      problems.push(`${where(t)}: unscoped: ${show(t)}`);
    }
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    for (const m of lines[i].matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)) {
      if (!keywords.has(m[0])) continue;
      const column = m.index + 1;
      const t = (byLine.get(i + 1) || []).find((x) => x.column <= column && column < x.column + x.text.length);
      if (!t || !isCode(t)) continue;
      if (t.text !== m[0] || !isKeywordScope(t)) {
        problems.push(`${i + 1}:${column}: keyword \`${m[0]}\` not scoped as a keyword: ${show(t)}`);
      }
    }
  }
  return problems;
}

module.exports = {
  findProblems,
  EXTENSION,
  REPO,
  ROOT_SCOPE,
  loadGrammar,
  tokenize,
  isCode,
  isUnscoped,
  isInvalid,
  isKeywordScope,
  keywordsFromReferenceGrammar,
  builtinsFromCompiler,
};
