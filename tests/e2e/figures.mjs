// Load times of the release build in headless Chromium: from navigation start to the catalog
// being interactive (every lab loaded and rendered) and to the engine Web Worker being ready.
// Each run is a cold load in a fresh browser context. Prints the median and the range.
import { serve, launch } from './support.mjs';

const RUNS = Number(process.env.FIGURE_RUNS ?? 7);
const server = await serve('/');
const browser = await launch();
const samples = { 'catalog-interactive': [], 'engine-ready': [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => ['catalog-interactive', 'engine-ready']
      .every((name) => performance.getEntriesByName(name).length > 0), null, { timeout: 30_000 });
    for (const name of Object.keys(samples)) {
      samples[name].push(await page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name));
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`\nLoad times, ${RUNS} cold loads from 127.0.0.1 (milliseconds since navigation start)`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(22)} median ${median(xs).toFixed(0).padStart(5)}   min ${Math.min(...xs).toFixed(0).padStart(5)}   max ${Math.max(...xs).toFixed(0).padStart(5)}`);
}
