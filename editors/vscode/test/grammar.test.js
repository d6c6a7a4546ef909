// Tokenises the example models with the extension's TextMate grammar (vscode-textmate and
// vscode-oniguruma, the libraries VS Code itself uses) and checks the scopes of keywords,
// numbers with units, strings and comments.
// usage: node test/grammar.test.js EXAMPLES_DIR   (run from the installed extension folder)
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = path.join(__dirname, '..', 'syntaxes', 'camp.tmLanguage.json');
const examples = process.argv[2];
let passed = 0;
let failed = 0;

function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.camp' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('source.camp');
}

function tokenize(grammar, text) {
  let rule = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  return lines.map((line, i) => {
    const r = grammar.tokenizeLine(line, rule);
    rule = r.ruleStack;
    return {
      number: i + 1,
      text: line,
      tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    };
  });
}

// The token `tokenText` on the first line containing `lineText` carries a scope starting with `scope`.
function expectScope(lines, file, lineText, tokenText, scope) {
  const line = lines.find((l) => l.text.includes(lineText));
  const what = `${file}: \`${tokenText}\` in \`${lineText}\` is ${scope}`;
  if (!line) return check(false, `${what} (line not found)`);
  const token = line.tokens.find((t) => t.text.trim() === tokenText);
  if (!token) return check(false, `${what} (token not found; tokens: ${line.tokens.map((t) => JSON.stringify(t.text)).join(' ')})`);
  check(token.scopes.some((s) => s.startsWith(scope)), `${what} (got ${token.scopes.join(' ')})`);
}

function expectNotScope(lines, file, lineText, tokenText, scope) {
  const line = lines.find((l) => l.text.includes(lineText));
  const token = line && line.tokens.find((t) => t.text.trim() === tokenText);
  check(token && !token.scopes.some((s) => s.startsWith(scope)), `${file}: \`${tokenText}\` in \`${lineText}\` is not ${scope}`);
}

const hardKeywords = new Set(['param', 'let', 'pipeline', 'stage', 'ratecard', 'scenario', 'assert', 'import', 'currency', 'model', 'input', 'output', 'revenue']);

// Whole-file checks: comments stay comments, and reserved words outside strings and comments are keywords.
function sweep(lines, file) {
  let commentLines = 0;
  let keywordTokens = 0;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed.startsWith('//')) {
      commentLines++;
      check(line.tokens.every((t) => !t.text.trim() || t.scopes.some((s) => s.startsWith('comment.'))), `${file}:${line.number} is all comment`);
      continue;
    }
    line.tokens.forEach((t, i) => {
      const member = i > 0 && line.tokens[i - 1].text.endsWith('.'); // `p.stage.output` is a result, not a keyword
      const inString = t.scopes.some((s) => s.startsWith('string.') || s.startsWith('comment.'));
      if (inString || member || !hardKeywords.has(t.text.trim())) return;
      keywordTokens++;
      check(t.scopes.some((s) => s.startsWith('storage.type') || s.startsWith('keyword.')), `${file}:${line.number}: \`${t.text}\` is a keyword`);
    });
  }
  check(commentLines > 0 && keywordTokens > 0, `${file}: has comments and keywords to check`);
}

async function main() {
  const grammar = await loadGrammar();
  const files = ['single_channel.camp', 'multichannel.camp', 'scenarios.camp', 'factory_forecast.camp', 'rates/newsletter_esp.camp'];
  const tokenized = {};
  for (const f of files) {
    tokenized[f] = tokenize(grammar, fs.readFileSync(path.join(examples, f), 'utf8'));
    sweep(tokenized[f], f);
  }

  const sc = tokenized['single_channel.camp'];
  expectScope(sc, 'single_channel', 'param hourly = 85 USD/h', 'param', 'storage.type.camp');
  expectScope(sc, 'single_channel', 'param hourly = 85 USD/h', 'hourly', 'entity.name.variable.camp');
  expectScope(sc, 'single_channel', 'param hourly = 85 USD/h', '85', 'constant.numeric.camp');
  expectScope(sc, 'single_channel', 'param hourly = 85 USD/h', 'USD/h', 'entity.name.type.unit.camp');
  expectScope(sc, 'single_channel', 'param hourly = 85 USD/h', 'in', 'keyword.other.camp');
  expectScope(sc, 'single_channel', 'param audience = 1_400_000 customer', '1_400_000', 'constant.numeric.camp');
  expectScope(sc, 'single_channel', 'param audience = 1_400_000 customer', 'customer', 'entity.name.type.unit.camp');
  expectScope(sc, 'single_channel', 'param click_rate = 0.8%', '0.8%', 'constant.numeric.camp');
  expectScope(sc, 'single_channel', 'param click_rate = 0.8%', 'click/email', 'entity.name.type.unit.camp');
  expectScope(sc, 'single_channel', 'param click_rate = 0.8%', 'triangular', 'support.function.builtin.camp');
  expectScope(sc, 'single_channel', 'stage strategy "Develop strategy"', 'Develop strategy', 'string.quoted.double.camp');
  expectScope(sc, 'single_channel', 'stage strategy "Develop strategy"', 'strategy', 'entity.name.type.camp');
  expectScope(sc, 'single_channel', '// Single-channel example', '// Single-channel example: the monthly email newsletter to 1.4 million customers, costed stage by stage.', 'comment.line.double-slash.camp');
  expectScope(sc, 'single_channel', '/// Blended, fully loaded hour', '/// Blended, fully loaded hour of the in-house marketing-operations team.', 'comment.line.documentation.camp');
  expectScope(sc, 'single_channel', 'media "Email sends"', 'media', 'support.type.category.camp');
  expectScope(sc, 'single_channel', 'media "Email sends"', 'send', 'entity.name.function.camp');
  expectScope(sc, 'single_channel', 'labor "Campaign manager', '8', 'constant.numeric.camp');
  expectScope(sc, 'single_channel', 'labor "Campaign manager', 'h', 'entity.name.type.unit.camp');
  expectScope(sc, 'single_channel', 'labor "Campaign manager', 'hourly', 'variable.other.camp');
  expectScope(sc, 'single_channel', 'assert newsletter.cost <= 6_500 USD', '<=', 'keyword.operator.comparison.camp');
  expectScope(sc, 'single_channel', 'assert newsletter.cost <= 6_500 USD', 'USD', 'entity.name.type.unit.camp');

  const esp = tokenized['rates/newsletter_esp.camp'];
  expectScope(esp, 'newsletter_esp', 'up to 500_000 email:', '1.00', 'constant.numeric.camp');
  expectScope(esp, 'newsletter_esp', 'up to 500_000 email:', 'USD/(1000 email)', 'entity.name.type.unit.camp');
  expectScope(esp, 'newsletter_esp', 'up to 500_000 email:', 'up', 'keyword.other.camp');
  expectScope(esp, 'newsletter_esp', 'price send(email) = graduated', 'send', 'entity.name.function.camp');
  expectScope(esp, 'newsletter_esp', 'price send(email) = graduated', 'graduated', 'keyword.other.camp');
  expectScope(esp, 'newsletter_esp', 'minimum 100 USD', 'minimum', 'keyword.other.camp');

  const fc = tokenized['factory_forecast.camp'];
  const dateLine = fc.find((l) => /\b\d{4}-\d{2}\b/.test(l.text) && !l.text.trim().startsWith('//'));
  check(dateLine && dateLine.tokens.some((t) => /^\d{4}-\d{2}/.test(t.text) && t.scopes.includes('constant.numeric.date.camp')),
    'factory_forecast: a date is constant.numeric.date.camp');

  // Billing words of rate cards (issue 9) are keywords, but stay names where a model uses them as names.
  const sample = tokenize(grammar, [
    'price send(email) = 0.50 USD/(1000 email) maximum 900 USD',
    'let budget = 5 USD',
    '/* a block comment',
    '   over two lines */ let x = 2',
    'let y = if x > 5 then 1 else 2',
  ].join('\n'));
  expectScope(sample, 'sample', 'maximum 900 USD', 'maximum', 'keyword.other.billing.camp');
  expectScope(sample, 'sample', 'let budget', 'budget', 'entity.name.variable.camp');
  expectScope(sample, 'sample', 'over two lines', 'over two lines', 'comment.block.camp');
  expectScope(sample, 'sample', 'over two lines', 'let', 'storage.type.camp');
  expectScope(sample, 'sample', 'if x > 5 then', 'then', 'keyword.control.camp');
  expectNotScope(sample, 'sample', 'if x > 5 then', 'then', 'entity.name.type.unit.camp');
  expectScope(sample, 'sample', 'if x > 5 then', '5', 'constant.numeric.camp');

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
