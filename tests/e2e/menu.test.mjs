// The service menu (every console reached by clicking, search in both languages, recently visited
// across a reload) and the console kit's pieces in the sandbox, in headless Chromium against dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, newPage, byTestId, waitForEngine, sendApi, ARTIFACTS } from './support.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Opens the menu and types `query` in its search box. */
async function search(page, query) {
  if (!(await byTestId(page, 'service-menu').isVisible().catch(() => false))) {
    await byTestId(page, 'service-menu-button').click();
  }
  await byTestId(page, 'service-menu-search').fill(query);
}

const results = (page) => page.locator('[data-testid="service-menu-results"] a').evaluateAll(
  (links) => links.map((a) => a.dataset.testid.replace('service-menu-item-', '')));

test('from the catalog, the service menu reaches DynamoDB and STS by clicking, searches in both languages, and remembers what was visited across a reload', async () => {
  const page = await newPage(browser, { locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await byTestId(page, 'catalog').waitFor();

  // Opening the menu puts the focus in its search box; every service is listed.
  await byTestId(page, 'service-menu-button').click();
  assert.equal(await focusedId(page), 'service-menu-search');
  assert.deepEqual(await results(page), ['dynamodb', 'dynamodbstreams', 'sts', 'secretsmanager', 'lambda', 'sqs', 'kinesis', 'iam', 'logs']);
  assert.equal(await byTestId(page, 'service-menu-recent').count(), 0, 'nothing visited yet');
  await page.screenshot({ path: `${ARTIFACTS}/menu-en-desktop.png` });

  // By what it is, in English, then in Vietnamese (with and without diacritics).
  await search(page, 'database');
  assert.deepEqual(await results(page), ['dynamodb']);
  await search(page, 'cơ sở dữ liệu');
  assert.deepEqual(await results(page), ['dynamodb']);
  await search(page, 'co so du lieu');
  assert.deepEqual(await results(page), ['dynamodb']);
  await search(page, 'no such thing');
  await byTestId(page, 'service-menu-none').waitFor();

  // Clicking a result opens the DynamoDB console.
  await search(page, 'dynamo');
  await byTestId(page, 'service-menu-item-dynamodb').click();
  await page.waitForURL(/#\/sandbox\/dynamodb$/);
  await byTestId(page, 'dynamodb-console').waitFor();
  assert.equal(await byTestId(page, 'service-menu').count(), 0, 'the menu closes');
  await waitForEngine(page);
  await byTestId(page, 'no-tables').waitFor();

  // By keyboard: a Vietnamese word for STS, Enter opens the first match.
  await search(page, 'định danh');
  assert.deepEqual(await results(page), ['sts']);
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/sandbox\/sts$/);
  await byTestId(page, 'api-panel').waitFor();
  assert.equal(await byTestId(page, 'sandbox-service').innerText(), 'STS');

  // Recently visited: newest first; arrows move through the links, Escape closes the menu and
  // gives the focus back to its button.
  await byTestId(page, 'service-menu-button').click();
  const recent = await page.locator('[data-testid="service-menu-recent"] a').evaluateAll(
    (links) => links.map((a) => a.dataset.testid));
  assert.deepEqual(recent, ['service-menu-recent-sts', 'service-menu-recent-dynamodb']);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedId(page), 'service-menu-item-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedId(page), 'service-menu-item-1');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedId(page), 'service-menu-search');
  await page.keyboard.press('Escape');
  assert.equal(await byTestId(page, 'service-menu').count(), 0);
  assert.equal(await focusedId(page), 'service-menu-button');

  // After a reload, in Vietnamese, the list is still there, and reaches DynamoDB again.
  await page.reload();
  await byTestId(page, 'lang-toggle').click();
  await byTestId(page, 'service-menu-button').click();
  assert.match(await byTestId(page, 'service-menu').innerText(), /đã xem gần đây/iu);
  assert.equal(await byTestId(page, 'service-menu-recent').locator('a').count(), 2);
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('serverless-lab/recent-services'))).join(), 'sts,dynamodb');
  await page.screenshot({ path: `${ARTIFACTS}/menu-vi-desktop.png` });
  await byTestId(page, 'service-menu-recent-dynamodb').click();
  await byTestId(page, 'dynamodb-console').waitFor();

  // The catalog links to every service's page, not only STS's.
  await byTestId(page, 'home').click();
  await byTestId(page, 'open-sandbox-dynamodb').click();
  await byTestId(page, 'dynamodb-console').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the menu fits a phone in both languages', async () => {
  for (const [locale, lang] of [['vi-VN', 'vi'], ['en-US', 'en']]) {
    const page = await newPage(browser, { locale, viewport: { width: 390, height: 844 } });
    await page.goto(server.url);
    await byTestId(page, 'catalog').waitFor();
    await byTestId(page, 'service-menu-button').click();
    await search(page, lang === 'vi' ? 'bảng' : 'table');
    assert.deepEqual(await results(page), ['dynamodb', 'dynamodbstreams']);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `menu (${lang}) is ${overflow}px wider than the window`);
    const box = await byTestId(page, 'service-menu').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `menu (${lang}) inside the window: ${JSON.stringify(box)}`);
    await page.screenshot({ path: `${ARTIFACTS}/menu-${lang}-phone.png` });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('the console kit in the sandbox: exact numbers, refused numbers with the reason, hints only for their service, the confirm dialog', async () => {
  for (const [viewport, size] of [[{ width: 1280, height: 900 }, 'desktop'], [{ width: 390, height: 844 }, 'phone']]) {
    const page = await newPage(browser, { locale: 'en-US', viewport });
    await page.goto(`${server.url}#/sandbox/dynamodb`);
    await waitForEngine(page);
    // A fresh sandbox for each size.
    await page.evaluate(() => localStorage.removeItem('serverless-lab/world/sandbox'));
    await page.reload();
    await waitForEngine(page);
    await byTestId(page, 'create-table-open').click();
    await byTestId(page, 'create-table-name').fill('Music');
    await byTestId(page, 'create-table-pk').fill('Artist');
    await byTestId(page, 'create-table-submit').click();
    await byTestId(page, 'table-wait').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="table-detail"] [data-testid="status"]')?.innerText === 'ACTIVE');

    // Tabs by keyboard: arrows move the selection.
    await byTestId(page, 'tab-overview').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await byTestId(page, 'tab-indexes').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    assert.equal(await byTestId(page, 'tab-stream').getAttribute('aria-selected'), 'true');

    // Plain JSON numbers are kept exactly, at any depth; one DynamoDB cannot store is refused.
    await byTestId(page, 'tab-items').click();
    await byTestId(page, 'items-summary').waitFor();
    await byTestId(page, 'item-create').click();
    await byTestId(page, 'item-text').fill('{"Artist": "Acme", "Awards": 12345678901234567890123, "Meta": {"n": [0.1000000000000000000001]}}');
    await byTestId(page, 'item-save').click();
    await byTestId(page, 'item-editor').waitFor({ state: 'detached' });
    await page.waitForFunction(() => /12345678901234567890123/.test(document.querySelector('[data-testid="items-grid"]')?.innerText ?? ''));
    assert.match(await byTestId(page, 'items-grid').innerText(), /0\.1000000000000000000001/);
    await byTestId(page, 'item-create').click();
    await byTestId(page, 'item-text').fill('{"Artist": "Big", "Meta": {"n": [123456789012345678901234567890123456789012]}}');
    await byTestId(page, 'item-save').click();
    assert.equal(await byTestId(page, 'form-problem').innerText(),
      'The form is not complete: Meta.n[0]: Attempting to store more than 38 significant digits in a Number');
    await page.screenshot({ path: `${ARTIFACTS}/kit-form-problem-en-${size}.png`, fullPage: size === 'phone' });

    // The same error code gets DynamoDB's hint only from DynamoDB.
    await sendApi(page, 'DescribeTable', { TableName: 'Nope' });
    assert.equal(await byTestId(page, 'api-error-code').innerText(), 'ResourceNotFoundException');
    await byTestId(page, 'api-error-hint').waitFor();
    await page.locator('[data-testid="api-panel"]').screenshot({ path: `${ARTIFACTS}/kit-error-en-${size}.png` });
    await byTestId(page, 'api-service').selectOption('dynamodbstreams');
    await byTestId(page, 'api-action').fill('DescribeStream');
    await byTestId(page, 'api-request').fill(JSON.stringify({ StreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2024-01-01T00:00:00.000' }));
    await byTestId(page, 'api-send').click();
    await page.waitForFunction(() => /Stream/.test(document.querySelector('[data-testid="api-error"]')?.innerText ?? '')
      && document.querySelector('[data-testid="api-error-code"]')?.innerText === 'ResourceNotFoundException');
    assert.equal(await byTestId(page, 'api-error-hint').count(), 0, 'no table hint for a stream error');

    // Deleting asks first, in the page; Cancel (focused first) keeps the table.
    await byTestId(page, 'tab-overview').click();
    await byTestId(page, 'delete-table').click();
    await byTestId(page, 'delete-table-dialog').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'delete-table-cancel');
    await byTestId(page, 'delete-table-dialog').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/kit-confirm-en-${size}.png`, fullPage: size === 'phone' });
    await page.keyboard.press('Escape');
    assert.equal(await byTestId(page, 'delete-table-dialog').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'delete-table');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `sandbox (${size}) is ${overflow}px wider than the window`);
    await byTestId(page, 'delete-table').click();
    await byTestId(page, 'delete-table-confirm').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="overview-request"]')?.textContent.includes('DeleteTable'));
    await byTestId(page, 'table-wait').click().catch(() => {});
    await byTestId(page, 'no-tables').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
