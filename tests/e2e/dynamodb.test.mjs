// The DynamoDB console and the "DynamoDB basics" lab, in headless Chromium against dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, byTestId, waitForEngine, shot, sendApi, ARTIFACTS } from './support.mjs';

const LAB = '02-dynamodb-basics';
let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const SONGS = [
  { Artist: 'No One You Know', SongTitle: 'Call Me Today', AlbumTitle: 'Somewhat Famous', Awards: 1 },
  { Artist: 'No One You Know', SongTitle: 'Howdy', AlbumTitle: 'Somewhat Famous', Awards: 2 },
  { Artist: 'Acme Band', SongTitle: 'Happy Day', AlbumTitle: 'Songs About Life', Awards: 10 },
  { Artist: 'Acme Band', SongTitle: 'PartiQL Rocks', AlbumTitle: 'Another Album Title', Awards: 8 },
];

/** Presses "check my work" and waits for the verdict. */
async function checkWork(page, expected) {
  await byTestId(page, 'check-work').click();
  const result = byTestId(page, 'check-result');
  const want = expected ? /Well done|Tuyệt/ : /Not yet|Chưa đạt/;
  await page.waitForFunction(([sel, re]) => new RegExp(re).test(document.querySelector(sel)?.innerText ?? ''),
    ['[data-testid="check-result"]', want.source]);
  return result.innerText();
}

test('a learner creates Music with the form, adds items with the editor, queries with the builder, and keeps it all across a reload', async () => {
  const page = await newPage(browser, { locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}#/labs/${LAB}`);
  await waitForEngine(page);
  // The lab's setup made the Orders table of the LCDC workshop.
  await byTestId(page, 'table-link-Orders').waitFor();
  assert.equal(await checkWork(page, false) !== '', true);

  // Step 1: the create-table form shows the request it will send, then sends it.
  await byTestId(page, 'create-table-open').click();
  await byTestId(page, 'create-table-name').fill('Music');
  await byTestId(page, 'create-table-pk').fill('Artist');
  await byTestId(page, 'create-table-sk').fill('SongTitle');
  await page.locator('[data-testid="create-table-form"] details summary').click();
  const preview = JSON.parse(await byTestId(page, 'create-table-request').innerText());
  assert.deepEqual(preview.KeySchema, [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }]);
  assert.equal(preview.BillingMode, 'PAY_PER_REQUEST');
  await shot(page, 'console-create-table-en');
  await byTestId(page, 'create-table-submit').click();
  await byTestId(page, 'table-detail').waitFor();
  assert.equal(await page.locator('[data-testid="table-detail"] [data-testid="status"]').first().innerText(), 'CREATING');
  await byTestId(page, 'table-wait').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="table-detail"] [data-testid="status"]')?.innerText === 'ACTIVE');
  await checkWork(page, true);
  await byTestId(page, 'next-step').click();
  await page.waitForURL(/02-add-items/);

  // Step 2: items through the editor, in plain JSON; one in DynamoDB JSON after the toggle.
  await byTestId(page, 'tab-items').click();
  await byTestId(page, 'items-summary').waitFor();
  for (const [i, song] of SONGS.entries()) {
    await byTestId(page, 'item-create').click();
    const text = byTestId(page, 'item-text');
    await text.fill(JSON.stringify(song, null, 2));
    if (i === 3) {
      await byTestId(page, 'item-dynamodb-json').check();
      const wire = JSON.parse(await text.inputValue());
      assert.deepEqual(wire.Awards, { N: '8' });
      await shot(page, 'console-item-editor-en');
    }
    await byTestId(page, 'item-save').click();
    await byTestId(page, 'item-editor').waitFor({ state: 'detached' });
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="items-grid"] [data-testid="item-row"]').length === 4);
  // Creating an item whose key is taken fails as the console's does, with AWS's own error.
  await byTestId(page, 'item-create').click();
  await byTestId(page, 'item-text').fill(JSON.stringify(SONGS[0]));
  await byTestId(page, 'item-save').click();
  assert.equal(await byTestId(page, 'console-error-code').innerText(), 'ConditionalCheckFailedException');
  assert.match(await byTestId(page, 'console-error-hint').innerText(), /ConditionExpression was false/);
  await shot(page, 'console-items-en');
  await checkWork(page, false);
  await sendApi(page, 'GetItem', { TableName: 'Music', Key: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day' } } });
  await checkWork(page, true);

  // Step 3: UpdateItem with a reserved word; the console shows the error with its hint first.
  await page.goto(`${server.url}#/labs/${LAB}/03-update-item`);
  const update = {
    TableName: 'Music', Key: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day' } },
    UpdateExpression: 'SET AlbumTitle = :t, Year = :y', ConditionExpression: 'attribute_exists(Artist)',
    ExpressionAttributeValues: { ':t': { S: 'Updated Album Title' }, ':y': { N: '2015' } }, ReturnValues: 'ALL_NEW',
  };
  await sendApi(page, 'UpdateItem', update);
  assert.match(await byTestId(page, 'api-error').innerText(), /reserved keyword: Year/);
  assert.match(await byTestId(page, 'api-error-hint').innerText(), /reserved word/);
  await byTestId(page, 'show-hint').click();
  assert.match(await byTestId(page, 'hint').first().innerText(), /#/);
  await sendApi(page, 'UpdateItem', { ...update, UpdateExpression: 'SET AlbumTitle = :t, #y = :y', ExpressionAttributeNames: { '#y': 'Year' } });
  await checkWork(page, true);

  // Step 4: the Query & Scan builder, showing its request and Count / ScannedCount.
  await page.goto(`${server.url}#/labs/${LAB}/04-query`);
  await byTestId(page, 'console-tables').click();
  await byTestId(page, 'table-link-Music').click();
  await byTestId(page, 'tab-query').click();
  await byTestId(page, 'read-query').check();
  await byTestId(page, 'read-pk-value').fill('Acme Band');
  await byTestId(page, 'read-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="read-count"]')?.innerText === '2');
  assert.equal(await byTestId(page, 'read-scanned').innerText(), '2');
  await byTestId(page, 'read-sk-op').selectOption('begins_with');
  await byTestId(page, 'read-sk-value').fill('Happy');
  await page.locator('[data-testid="read-builder"] details summary').click();
  const query = JSON.parse(await byTestId(page, 'read-request').innerText());
  assert.equal(query.KeyConditionExpression, '#Artist = :v0 AND begins_with(#SongTitle, :v1)');
  await byTestId(page, 'read-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="read-count"]')?.innerText === '1');
  await shot(page, 'console-query-en');
  await checkWork(page, true);
  // A Scan with a filter reads every item: the builder says so.
  await byTestId(page, 'read-scan').check();
  await byTestId(page, 'read-add-filter').click();
  await byTestId(page, 'filter-0-attribute').fill('AlbumTitle');
  await byTestId(page, 'filter-0-value').fill('Somewhat Famous');
  await byTestId(page, 'read-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="read-scanned"]')?.innerText === '4');
  assert.equal(await byTestId(page, 'read-count').innerText(), '2');

  // Reload: the table, its items and the progress are still there.
  await page.reload();
  await waitForEngine(page);
  for (const step of ['01-create-music-table', '02-add-items', '03-update-item', '04-query']) {
    assert.equal(await byTestId(page, `step-${step}`).getAttribute('data-state'), 'done', step);
  }
  await byTestId(page, 'table-link-Music').click();
  await byTestId(page, 'tab-items').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="items-grid"] [data-testid="item-row"]').length === 4);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('capacity, quiz and stream: the capacity graph shows provisioned units, answers are checked, the stream shows old and new images', async () => {
  const page = await newPage(browser, { locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}#/labs/${LAB}/07-streams`);
  await waitForEngine(page);
  // Orders (from the lab's setup): turn the stream on from the overview, update an order.
  await byTestId(page, 'table-link-Orders').click();
  await byTestId(page, 'stream-view-type').selectOption('NEW_AND_OLD_IMAGES');
  await byTestId(page, 'stream-on').click();
  await page.waitForFunction(() => /NEW_AND_OLD_IMAGES/.test(document.querySelector('[data-testid="overview-stream"]')?.innerText ?? ''));
  await sendApi(page, 'UpdateItem', {
    TableName: 'Orders', Key: { id: { S: '6421680' } }, UpdateExpression: 'SET #s = :c',
    ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': { S: 'COMPLETE' } },
  });
  await byTestId(page, 'tab-stream').click();
  await byTestId(page, 'stream-record').first().waitFor();
  const record = await byTestId(page, 'stream-record').first().innerText();
  assert.match(record, /MODIFY/);
  assert.match(record, /PLACED/);
  assert.match(record, /COMPLETE/);
  await shot(page, 'console-stream-vi');
  await checkWork(page, true);
  // Edit one order in the editor and delete another: both show in the stream.
  await byTestId(page, 'tab-items').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="items-grid"] [data-testid="item-row"]').length === 4);
  const row = (id) => page.locator('[data-testid="item-row"]', { hasText: id });
  await row('9953371').locator('[data-testid="item-edit"]').click();
  const edited = JSON.parse(await byTestId(page, 'item-text').inputValue());
  assert.equal(edited.status, 'PLACED');
  await byTestId(page, 'item-text').fill(JSON.stringify({ ...edited, status: 'CANCELLED' }));
  await byTestId(page, 'item-save').click();
  await byTestId(page, 'item-editor').waitFor({ state: 'detached' });
  await row('9844720').locator('[data-testid="item-delete"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="items-grid"] [data-testid="item-row"]').length === 3);
  assert.match(await row('9953371').innerText(), /CANCELLED/);
  await byTestId(page, 'tab-stream').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stream-record"]').length === 3);
  assert.match(await byTestId(page, 'stream-record').first().innerText(), /REMOVE/);

  // Step 5 in the same account: provisioned 5/5 from the overview, some reads, the graph, the quiz.
  await page.goto(`${server.url}#/labs/${LAB}/05-capacity`);
  await byTestId(page, 'console-tables').click();
  await byTestId(page, 'table-link-Orders').click();
  await byTestId(page, 'tab-overview').click();
  await byTestId(page, 'capacity-provisioned').check();
  await byTestId(page, 'capacity-save').click();
  await page.waitForFunction(() => /Provisioned \(5 RCU, 5 WCU\)/.test(document.querySelector('[data-testid="overview-capacity"]')?.innerText ?? ''));
  await byTestId(page, 'tab-capacity').click();
  await byTestId(page, 'capacity-read').waitFor();
  assert.equal(await page.locator('[data-testid="capacity-read"] polyline.provisioned').count(), 1);
  await byTestId(page, 'answer-rcu-strong').fill('20');
  await byTestId(page, 'answer-rcu-strong-submit').click();
  await byTestId(page, 'answer-rcu-eventual').fill('5');
  await byTestId(page, 'answer-rcu-eventual-submit').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="check-"][data-passed="true"]')].some((li) => li.querySelector('[data-testid="answer-rcu-strong"]')));
  const eventual = page.locator('li[data-testid^="check-"]', { has: byTestId(page, 'answer-rcu-eventual') });
  assert.equal(await eventual.getAttribute('data-passed'), 'false');
  await shot(page, 'console-capacity-vi');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the console fits a phone and a desktop, in both languages (screenshots in artifacts/)', async () => {
  const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
  for (const [locale, lang] of [['vi-VN', 'vi'], ['en-US', 'en']]) {
    for (const [sizeName, viewport] of Object.entries(sizes)) {
      const page = await newPage(browser, { locale, viewport });
      await page.goto(`${server.url}#/labs/${LAB}/01-create-music-table`);
      await waitForEngine(page);
      await byTestId(page, 'table-link-Orders').waitFor();
      await byTestId(page, 'create-table-open').click();
      await byTestId(page, 'create-table-add-index').click();
      await page.screenshot({ path: `${ARTIFACTS}/console-tables-${lang}-${sizeName}.png`, fullPage: sizeName === 'phone' });
      await byTestId(page, 'create-table-open').click();
      await byTestId(page, 'table-link-Orders').click();
      for (const tab of ['overview', 'indexes', 'items', 'query', 'capacity', 'stream']) {
        await byTestId(page, `tab-${tab}`).click();
        await page.waitForTimeout(50);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${tab} (${lang}, ${sizeName}) is ${overflow}px wider than the window`);
        if (tab === 'items' || tab === 'overview') {
          await page.screenshot({ path: `${ARTIFACTS}/console-${tab}-${lang}-${sizeName}.png`, fullPage: sizeName === 'phone' });
        }
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});
