// Renders `camp report` pages in headless Chromium and checks what a reader would see: no console
// error, no network request, every chart drew marks, and the figures equal `camp run`'s JSON.
// usage: node browser_test.cjs CAMP NODE_MODULES ARTIFACT_DIR MODEL[:SAMPLES]...
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const [camp, nodeModules, artifacts, ...models] = process.argv.slice(2);
if (!camp || !nodeModules || !artifacts || models.length === 0) {
  console.error('usage: node browser_test.cjs CAMP NODE_MODULES ARTIFACT_DIR MODEL[:SAMPLES]...');
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = require(path.join(nodeModules, 'playwright-core')));
} catch (e) {
  console.error(`playwright-core is not installed in ${nodeModules}: run .ci/build (${e.message})`);
  process.exit(1);
}
const executablePath = '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.error(`${executablePath} is missing: run .ci/build (it installs Debian's chromium)`);
  process.exit(1);
}
fs.mkdirSync(artifacts, { recursive: true });

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${what}`);
  }
}
function close(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

async function checkModel(context, spec) {
  const [model, samples] = spec.split(':');
  const name = path.basename(model, '.camp');
  const html = path.join(artifacts, `${name}.html`);
  const args = ['report', model, '-o', html, '--seed', '7'];
  if (samples) args.push('--samples', samples);
  try {
    execFileSync(camp, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    // Exit code 1 (a failed assertion) still writes the page; anything else is a failure.
    if (e.status !== 1) {
      check(false, `${name}: camp report exited ${e.status}: ${e.stderr}`);
      return;
    }
  }
  let runJson;
  try {
    runJson = execFileSync(camp, ['run', model, '--format', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    runJson = e.stdout; // exit code 1 with a failed assertion still prints the JSON
  }
  const run = JSON.parse(runJson);

  const page = await context.newPage();
  const errors = [], requests = [];
  const url = pathToFileURL(html).href;
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.campReportReady !== undefined, null, { timeout: 20000 });
  await page.evaluate(() => window.campReportReady);
  const status = await page.evaluate(() => window.campReport);
  check(errors.length === 0, `${name}: console errors: ${errors.join(' | ')}`);
  check(requests.length === 0, `${name}: the page asked the network for ${requests.join(', ')}`);
  check(status.failed === 0 && status.drawn === status.charts, `${name}: ${status.drawn} of ${status.charts} charts drew`);

  // Every chart drew marks of its own (not only axes and legends).
  const marks = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.chart')).map((chart) => {
      let n = 0;
      for (const g of chart.querySelectorAll('g.role-mark')) {
        if (g.closest('.role-axis, .role-legend, .role-title')) continue;
        n += g.querySelectorAll(':scope > path, :scope > line, :scope > text, :scope > rect').length;
      }
      return { id: chart.id, marks: n };
    }));
  for (const c of marks) check(c.marks > 0, `${name}: chart ${c.id} drew no marks`);
  if (samples) {
    for (const id of ['waterfall-1', 'categories-1', 'tornado-chart', 'sobol-chart', 'asserts-chart'])
      if (run.asserts.length > 0 || id !== 'asserts-chart')
        check(marks.some((c) => c.id === id), `${name}: no ${id}`);
    check(marks.some((c) => c.id.endsWith('-hist')), `${name}: no histogram`);
  }

  // The figures in the page equal `camp run --format json`'s.
  const cells = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#summary-table td[data-pipeline]')).map((td) => ({
      pipeline: td.dataset.pipeline, field: td.dataset.field, value: td.dataset.value === '' ? null : Number(td.dataset.value), text: td.textContent,
    })));
  let cost = 0, revenue = 0;
  for (const p of run.pipelines) {
    cost += p.cost;
    revenue += p.revenue;
    for (const field of ['cost', 'revenue', 'profit', 'roi']) {
      const c = cells.find((x) => x.pipeline === p.name && x.field === field);
      check(c && close(c.value, p[field]), `${name}: ${p.name}.${field} in the page ${c && c.value} != ${p[field]}`);
    }
  }
  const total = (field) => cells.find((x) => x.pipeline === '*total' && x.field === field);
  check(total('cost') && close(total('cost').value, cost), `${name}: total cost ${total('cost') && total('cost').value} != ${cost}`);
  check(total('revenue') && close(total('revenue').value, revenue), `${name}: total revenue != ${revenue}`);
  check(total('profit') && close(total('profit').value, revenue - cost), `${name}: total profit != ${revenue - cost}`);
  // The waterfall's and category tables' numbers are the stages' and categories' costs, in order.
  const waterfall = await page.evaluate(() =>
    Array.from(document.querySelectorAll('td[data-chart="waterfall"]')).map((td) => Number(td.dataset.value)));
  const stages = run.pipelines.flatMap((p) => p.stages.map((s) => s.cost));
  check(waterfall.length === stages.length && waterfall.every((v, i) => close(v, stages[i])),
        `${name}: waterfall table ${waterfall} != stage costs ${stages}`);
  const categories = await page.evaluate(() =>
    Array.from(document.querySelectorAll('td[data-chart="categories"]')).map((td) => Number(td.dataset.value)));
  const byCategory = run.pipelines.flatMap((p) => Object.values(p.by_category));
  check(categories.length === byCategory.length && categories.every((v, i) => close(v, byCategory[i])),
        `${name}: category table ${categories} != ${byCategory}`);
  // The model's values equal the JSON's.
  const values = await page.evaluate(() =>
    Array.from(document.querySelectorAll('#values-table tbody tr')).map((tr) => ({
      name: tr.cells[0].textContent, value: Number(tr.cells[1].dataset.value) })));
  check(values.length === Object.keys(run.values).length, `${name}: ${values.length} values in the page, ${Object.keys(run.values).length} in the JSON`);
  for (const v of values)
    check(run.values[v.name] && close(v.value, run.values[v.name].value), `${name}: value ${v.name} ${v.value} != ${run.values[v.name] && run.values[v.name].value}`);
  // Scenarios side by side equal `camp run --compare base,…`'s totals.
  const scenarioRows = await page.evaluate(() =>
    Array.from(document.querySelectorAll('tr[data-scenario]')).map((tr) => ({
      name: tr.dataset.scenario,
      cost: Number(tr.querySelector('[data-field="cost"]').dataset.value),
      revenue: Number(tr.querySelector('[data-field="revenue"]').dataset.value),
      profit: Number(tr.querySelector('[data-field="profit"]').dataset.value),
    })));
  if (scenarioRows.length > 0) {
    let compare;
    try {
      compare = execFileSync(camp, ['run', model, '--compare', scenarioRows.map((r) => r.name).join(','), '--format', 'json'],
                             { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      compare = e.stdout;
    }
    const cases = JSON.parse(compare).scenarios;
    check(cases.length === scenarioRows.length, `${name}: ${scenarioRows.length} scenarios in the page, ${cases.length} compared`);
    for (const [i, row] of scenarioRows.entries())
      for (const field of ['cost', 'revenue', 'profit'])
        check(cases[i] && close(row[field], cases[i].total[field]),
              `${name}: scenario ${row.name} ${field} ${row[field]} != ${cases[i] && cases[i].total[field]}`);
  }
  const text = await page.evaluate(() => document.body.innerText);
  for (const p of run.pipelines) {
    const shown = p.cost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    check(text.includes(shown), `${name}: the page does not show the cost ${shown}`);
  }
  const forecastChart = await page.$('#forecast-monthly svg');
  check(fs.readFileSync(model, 'utf8').match(/^forecast /m) ? forecastChart !== null : true,
        `${name}: the model has a forecast but the page has no monthly chart`);

  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  await page.close();
  console.log(`${name}: ${status.drawn} charts, ${marks.reduce((a, c) => a + c.marks, 0)} marks, screenshot ${path.join(artifacts, name + '.png')}`);
}

(async () => {
  const userDataDir = fs.mkdtempSync(path.join(artifacts, 'chromium-profile-'));
  // A fresh profile each run (Playwright passes it as --user-data-dir), offline.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    offline: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const m of models) await checkModel(context, m);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
