// Shared pieces of the browser tests: a static file server (any base path), a headless
// Chromium, and page helpers keyed by data-testid.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.DIST_DIR ?? path.resolve(here, '../../dist');
export const ARTIFACTS = path.resolve(here, 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.toml': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
};

/** Serves DIST under `base` (e.g. "/" or "/course/serverless-lab/") like any static host. */
export function serve(base = '/') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(base)) { res.writeHead(404).end('not found'); return; }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}${base}`, close: () => server.close() });
  }));
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
  });
}

/** A new page that records console errors and uncaught exceptions in `page.problems`. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`); });
  return page;
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

export async function waitForEngine(page) {
  await page.locator('[data-testid="engine-status"][data-status="ready"]').waitFor({ timeout: 30_000 });
}

/** Sends one DynamoDB request through the API panel and waits for its answer. */
export async function sendApi(page, action, request) {
  await byTestId(page, 'api-service').selectOption('dynamodb');
  await byTestId(page, 'api-action').fill(action);
  await byTestId(page, 'api-request').fill(JSON.stringify(request));
  await byTestId(page, 'api-send').click();
  await page.locator('[data-testid="api-response"], [data-testid="api-error"]').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="api-send"]').disabled);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
