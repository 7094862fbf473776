// The foundation's user journey, in headless Chromium against the release build in dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, newPage, byTestId, waitForEngine, shot, sendApi, ARTIFACTS } from './support.mjs';

const LAB = '01-how-labs-work';
let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('a learner completes a step, keeps it across a reload, exports, resets and imports it back', async () => {
  const page = await newPage(browser, { locale: 'vi-VN' });
  await page.goto(server.url);

  // The catalog, in Vietnamese because the browser is.
  await page.getByRole('heading', { level: 1, name: 'Học AWS serverless, ngay trong trình duyệt' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await byTestId(page, `lab-card-${LAB}`).waitFor();
  assert.match(await byTestId(page, `lab-progress-${LAB}`).innerText(), /Đã xong 0\/3 bước/);
  await shot(page, 'catalog-vi');

  // Open the lab: the first step's prose.
  await byTestId(page, `open-lab-${LAB}`).click();
  await page.getByRole('heading', { level: 1, name: 'Bạn là ai?' }).waitFor();
  assert.ok(page.url().endsWith(`#/labs/${LAB}/01-who-am-i`), page.url());

  // Switch to English and back.
  await byTestId(page, 'lang-toggle').click();
  await page.getByRole('heading', { level: 1, name: 'Who am I?' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await byTestId(page, 'check-work').innerText(), 'Check my work');
  await byTestId(page, 'lang-toggle').click();
  await page.getByRole('heading', { level: 1, name: 'Bạn là ai?' }).waitFor();

  // Checking before doing anything fails, and says so.
  await waitForEngine(page);
  await byTestId(page, 'check-work').click();
  assert.match(await byTestId(page, 'check-result').innerText(), /Chưa đạt/);
  assert.equal(await byTestId(page, 'check-0').getAttribute('data-passed'), 'false');

  // A typo gives AWS's error, and the hint for that error is offered first.
  await byTestId(page, 'api-action').fill('GetCallerIdentityy');
  await byTestId(page, 'api-send').click();
  await byTestId(page, 'api-error-code').waitFor();
  assert.equal(await byTestId(page, 'api-error-code').innerText(), 'InvalidAction');
  await byTestId(page, 'show-hint').click();
  assert.match(await byTestId(page, 'hint').first().innerText(), /GetCallerIdentity/);

  // Do the step: the check turns green live, then "check my work" completes it.
  await byTestId(page, 'api-action').fill('GetCallerIdentity');
  await byTestId(page, 'api-send').click();
  await byTestId(page, 'api-response').waitFor();
  assert.match(await byTestId(page, 'api-response').innerText(), /"Account": "123456789012"/);
  await page.locator('[data-testid="check-0"][data-passed="true"]').waitFor();
  await byTestId(page, 'check-work').click();
  assert.match(await byTestId(page, 'check-result').innerText(), /Tuyệt/);
  await page.locator('[data-testid="step-01-who-am-i"][data-state="done"]').waitFor();
  assert.equal(await byTestId(page, 'timeline-event').count(), 2);
  await shot(page, 'lab-step-done-vi');

  // Reload: progress, the account and its timeline are all still there.
  await page.reload();
  await page.locator('[data-testid="step-01-who-am-i"][data-state="done"]').waitFor();
  await waitForEngine(page);
  await page.locator('[data-testid="check-0"][data-passed="true"]').waitFor();
  assert.equal(await byTestId(page, 'timeline-event').count(), 2);

  // Export.
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export').click()]);
  const saveFile = path.join(ARTIFACTS, 'save.json');
  await download.saveAs(saveFile);
  assert.match(download.suggestedFilename(), /^serverless-lab-\d{4}-\d{2}-\d{2}\.json$/);
  const save = JSON.parse(fs.readFileSync(saveFile, 'utf8'));
  assert.equal(save.format, 'serverless-lab-save');
  assert.equal(save.version, 1);
  assert.ok(save.progress.labs[LAB].steps['01-who-am-i'].done_at_ms > 0);
  assert.ok(save.worlds[`lab:${LAB}`], Object.keys(save.worlds).join());

  // Reset (after confirming): progress and the account are gone.
  page.once('dialog', (dialog) => dialog.accept());
  await byTestId(page, 'reset').click();
  await byTestId(page, 'notice-reset-done').waitFor();
  await page.locator('[data-testid="step-01-who-am-i"][data-state="todo"]').waitFor();
  await page.locator('[data-testid="check-0"][data-passed="false"]').waitFor();
  assert.equal(await byTestId(page, 'timeline-event').count(), 0);

  // Import: everything is back, the account included.
  await byTestId(page, 'import-input').setInputFiles(saveFile);
  await byTestId(page, 'notice-import-done').waitFor();
  await page.locator('[data-testid="step-01-who-am-i"][data-state="done"]').waitFor();
  await page.locator('[data-testid="check-0"][data-passed="true"]').waitFor();
  assert.equal(await byTestId(page, 'timeline-event').count(), 2);

  // A file that is not a save is refused and changes nothing.
  const bogus = path.join(ARTIFACTS, 'not-a-save.json');
  fs.writeFileSync(bogus, '{"hello": "world"}');
  await byTestId(page, 'import-input').setInputFiles(bogus);
  await byTestId(page, 'notice-import-failed').waitFor();
  assert.match(await byTestId(page, 'notice-import-failed').innerText(), /not a serverless-lab save file/);
  await page.locator('[data-testid="step-01-who-am-i"][data-state="done"]').waitFor();

  // The rest of the lab: the clock step through the clock bar.
  await page.goto(`${server.url}#/labs/${LAB}/03-move-the-clock`);
  await page.getByRole('heading', { level: 1, name: 'Cho đồng hồ ảo chạy' }).waitFor();
  await byTestId(page, 'advance-3600').click();
  await page.locator('[data-testid="check-0"][data-passed="true"]').waitFor();
  await byTestId(page, 'check-work').click();
  await byTestId(page, 'lab-complete').waitFor();
  await byTestId(page, 'nav-catalog').click();
  assert.match(await byTestId(page, `lab-progress-${LAB}`).innerText(), /Đã xong 2\/3 bước/);

  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a malformed lab shows a located error card while the other labs load', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.route('**/labs/labs.toml', (route) => route.fulfill({
    contentType: 'text/plain', body: `format_version = 1\nlabs = ["${LAB}", "02-broken"]\n`,
  }));
  await page.route('**/labs/02-broken/lab.toml', (route) => route.fulfill({
    contentType: 'text/plain', body: 'format_version = 1\nminutes = "ten"\n',
  }));
  await page.goto(server.url);
  await byTestId(page, 'lab-error-02-broken').waitFor();
  assert.match(await byTestId(page, 'lab-error-02-broken').innerText(),
    /labs\/02-broken\/lab\.toml:2:11: invalid type: string "ten", expected u32/);
  await byTestId(page, `lab-card-${LAB}`).waitFor();
  await shot(page, 'catalog-broken-lab-en');
  await byTestId(page, `open-lab-${LAB}`).click();
  await page.getByRole('heading', { level: 1, name: 'Who am I?' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an unreadable save is reported, kept as a backup, offered for download, and the app still starts', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('serverless-lab/progress', '{"version": 99, "progress": {}}');
      localStorage.setItem('serverless-lab/world/lab:01-how-labs-work', '{not json');
    }
  });
  await page.goto(`${server.url}#/labs/${LAB}/01-who-am-i`);
  await byTestId(page, 'notice-progress-unreadable').waitFor();
  assert.match(await byTestId(page, 'notice-progress-unreadable').innerText(), /save version 99/);
  await byTestId(page, 'notice-world-unreadable').waitFor();
  await waitForEngine(page);
  const backups = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('serverless-lab/backup/')));
  assert.equal(backups.length, 2, backups.join());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    byTestId(page, 'notice-progress-unreadable').locator('[data-testid="download-backup"]').click(),
  ]);
  const kept = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(kept, '{"version": 99, "progress": {}}');
  // The app works: a fresh account answers.
  await byTestId(page, 'api-send').click();
  await byTestId(page, 'api-response').waitFor();
  await shot(page, 'corrupt-save-en');
  page.problems = page.problems.filter((p) => !p.includes('Failed to load resource')); // none expected, but be exact below
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the built files work under a base path, as on a GitHub Pages project site', async () => {
  const sub = await serve('/course/serverless-lab/');
  try {
    const page = await newPage(browser, { locale: 'en-US' });
    await page.goto(sub.url);
    await byTestId(page, `lab-card-${LAB}`).waitFor();
    await waitForEngine(page);
    await byTestId(page, 'open-sandbox').click();
    await byTestId(page, 'api-send').click();
    await byTestId(page, 'api-response').waitFor();
    assert.ok(page.url().startsWith(`${sub.url}#/sandbox/`), page.url());
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    sub.close();
  }
});

test('the app says where the simulator differs from AWS, in both languages', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(server.url);
  await byTestId(page, 'differences-link').click();
  await page.getByRole('heading', { level: 1, name: 'Where the simulator deliberately differs from AWS' }).waitFor();
  assert.match(await byTestId(page, 'differences').innerText(), /UnknownService/);
  await byTestId(page, 'lang-toggle').click();
  await page.getByRole('heading', { level: 1, name: 'Những điểm trình mô phỏng cố ý khác AWS' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('every screen fits a phone and a desktop, in both languages (screenshots in artifacts/)', async () => {
  const screens = { catalog: '', lab: `#/labs/${LAB}/01-who-am-i`, sandbox: '#/sandbox/sts', differences: '#/about/differences' };
  const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
  for (const [locale, lang] of [['vi-VN', 'vi'], ['en-US', 'en']]) {
    for (const [sizeName, viewport] of Object.entries(sizes)) {
      const page = await newPage(browser, { locale, viewport });
      for (const [name, hash] of Object.entries(screens)) {
        await page.goto(`${server.url}${hash}`);
        await waitForEngine(page);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} (${lang}, ${sizeName}) is ${overflow}px wider than the window`);
        await page.screenshot({ path: `${ARTIFACTS}/screen-${name}-${lang}-${sizeName}.png`, fullPage: sizeName === 'phone' });
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});

test('in the sandbox, DynamoDB answers through the API panel: a table, an item, a query, an error', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${server.url}#/sandbox/dynamodb`);
  await waitForEngine(page);
  const send = (action, request) => sendApi(page, action, request);
  await send('CreateTable', {
    TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'SongTitle', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }],
  });
  assert.match(await byTestId(page, 'api-response').innerText(), /"TableStatus": "CREATING"/);
  await byTestId(page, 'advance-60').click();
  await send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day' }, status: { S: 'new' } } });
  await send('Query', { TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'Acme Band' } } });
  assert.match(await byTestId(page, 'api-response').innerText(), /"Count": 1/);
  await send('UpdateItem', {
    TableName: 'Music', Key: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day' } },
    UpdateExpression: 'SET status = :s', ExpressionAttributeValues: { ':s': { S: 'old' } },
  });
  assert.equal(await byTestId(page, 'api-error-code').innerText(), 'ValidationException');
  assert.match(await byTestId(page, 'api-error').innerText(), /reserved keyword: status/);
  assert.equal(await byTestId(page, 'timeline-event').count(), 5);
  // A change DynamoDB puts on a Kinesis stream is a call it makes on the learner's behalf, after the write
  // (here to a stream that was never made, so the hop fails, in the timeline).
  await send('EnableKinesisStreamingDestination', { TableName: 'Music', StreamArn: 'arn:aws:kinesis:ap-southeast-1:123456789012:stream/Music' });
  await byTestId(page, 'advance-60').click();
  await send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Live' } } });
  const hop = byTestId(page, 'timeline-event').first();
  assert.match(await hop.innerText(), /kinesis\s+PutRecord/);
  assert.match(await hop.innerText(), /ResourceNotFoundException/);
  assert.match(await hop.getByTestId('timeline-hop').innerText(), /on your behalf, by dynamodb\.amazonaws\.com/);
  assert.match(await byTestId(page, 'timeline-event').nth(1).innerText(), /dynamodb\s+PutItem/);
  await shot(page, 'sandbox-dynamodb-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the API panel offers ready-made requests, labelled in the learner\'s language', async () => {
  const page = await newPage(browser, { locale: 'vi-VN' });
  await page.goto(`${server.url}#/sandbox/dynamodb`);
  await waitForEngine(page);
  const example = byTestId(page, 'api-example');
  assert.match(await example.locator('option').nth(1).innerText(), /bảng Music/);
  const run = async (index) => {
    await example.selectOption(String(index));
    await byTestId(page, 'api-send').click();
    await page.locator('[data-testid="api-response"], [data-testid="api-error"]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="api-send"]').disabled);
  };
  await run(0);
  assert.equal(await byTestId(page, 'api-action').inputValue(), 'CreateTable');
  assert.match(await byTestId(page, 'api-response').innerText(), /"TableStatus": "CREATING"/);
  await byTestId(page, 'advance-60').click();
  await run(2); // PutItem
  await run(5); // Query
  assert.match(await byTestId(page, 'api-response').innerText(), /"Count": 1/);
  await shot(page, 'sandbox-examples-vi');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('SQS in the sandbox: a queue with a dead-letter queue, a message sent and received', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${server.url}#/sandbox/sqs`);
  await waitForEngine(page);
  assert.equal(await byTestId(page, 'sandbox-service').innerText(), 'SQS');
  const example = byTestId(page, 'api-example');
  const run = async (index) => {
    await example.selectOption(String(index));
    await byTestId(page, 'api-send').click();
    await page.locator('[data-testid="api-response"], [data-testid="api-error"]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="api-send"]').disabled);
  };
  await run(0); // CreateQueue orders-failed
  await run(1); // CreateQueue orders, redriving to orders-failed
  assert.match(await byTestId(page, 'api-response').innerText(), /"QueueUrl": "https:\/\/sqs\.ap-southeast-1\.amazonaws\.com\/123456789012\/orders"/);
  await run(2); // SendMessage
  assert.match(await byTestId(page, 'api-response').innerText(), /"MD5OfMessageBody": "[0-9a-f]{32}"/);
  await run(3); // ReceiveMessage
  assert.match(await byTestId(page, 'api-response').innerText(), /"ApproximateReceiveCount": "1"/);
  await run(4); // GetQueueAttributes: the message is in flight
  assert.match(await byTestId(page, 'api-response').innerText(), /"ApproximateNumberOfMessagesNotVisible": "1"/);
  await shot(page, 'sandbox-sqs-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
