// Lambda in the sandbox, by the API panel: a role and a function made from a real zip, an
// invocation answering, and the engine watchdog: a handler that spins forever stops the engine,
// which is restarted from the last saved state while the page keeps working and says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { serve, launch, newPage, byTestId, waitForEngine, shot } from './support.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Base64 of a zip (entries stored, not compressed) holding `files` ({path: text}). */
function zipBase64(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8); central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBytes.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]).toString('base64');
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ROLE = 'arn:aws:iam::123456789012:role/app';

/** Types one request into the API panel; answers the text shown and whether it was an error. */
async function send(page, service, action, request, { wait = true } = {}) {
  await byTestId(page, 'api-service').selectOption(service);
  await byTestId(page, 'api-action').fill(action);
  await byTestId(page, 'api-request').fill(JSON.stringify(request));
  await byTestId(page, 'api-send').click();
  if (!wait) return null;
  await page.waitForFunction(() => !document.querySelector('[data-testid="api-send"]').disabled, null, { timeout: 60_000 });
  const error = byTestId(page, 'api-error');
  if (await error.count()) return { error: true, text: await error.innerText() };
  return { error: false, text: await byTestId(page, 'api-response').innerText() };
}

/** Moves the virtual clock a minute with the clock bar, and waits until it shows the new time. */
async function advanceAMinute(page) {
  const before = await byTestId(page, 'clock-now').innerText();
  await byTestId(page, 'advance-60').click();
  await page.waitForFunction((was) => document.querySelector('[data-testid="clock-now"]').innerText !== was, before);
}

function createFunction(name, code, extra = {}) {
  return {
    FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipBase64({ 'index.mjs': code }) }, ...extra,
  };
}

test('a function made in the API panel answers; one that spins forever restarts the engine, which keeps the saved account', async () => {
  const page = await newPage(browser, { locale: 'en-US', viewport: { width: 1280, height: 900 } });
  // The watchdog waits 4 s here instead of 45, so that the test is quick.
  await page.context().addInitScript(() => localStorage.setItem('serverless-lab/watchdog-ms', '4000'));
  await page.goto(`${server.url}#/sandbox/lambda`);
  await waitForEngine(page);

  let answer = await send(page, 'iam', 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  assert.equal(answer.error, false, answer.text);
  answer = await send(page, 'lambda', 'CreateFunction', createFunction('echo', "export const handler = async (event) => ({ echoed: event.msg });"));
  assert.equal(answer.error, false, answer.text);
  assert.match(answer.text, /"State": "Pending"/);
  // A new function is Pending for a moment of virtual time.
  answer = await send(page, 'lambda', 'Invoke', { FunctionName: 'echo', Payload: '{}' });
  assert.match(answer.text, /ResourceConflictException/);
  await advanceAMinute(page);
  answer = await send(page, 'lambda', 'Invoke', { FunctionName: 'echo', Payload: JSON.stringify({ msg: 'xin chào' }) });
  assert.equal(answer.error, false, answer.text);
  assert.match(answer.text, /"StatusCode": 200/);
  assert.match(answer.text, /echoed\\":\\"xin chào/);

  // A handler that never returns, with the longest timeout: the watchdog ends the engine.
  answer = await send(page, 'lambda', 'CreateFunction', createFunction('spin', 'export const handler = async () => { while (true) {} };', { Timeout: 900 }));
  assert.equal(answer.error, false, answer.text);
  await advanceAMinute(page);
  await send(page, 'lambda', 'Invoke', { FunctionName: 'spin' }, { wait: false });
  await byTestId(page, 'notice-engine-restarted').waitFor({ timeout: 30_000 });
  await byTestId(page, 'api-error').waitFor();
  assert.match(await byTestId(page, 'api-error').innerText(), /EngineRestarted/);
  await shot(page, 'lambda-engine-restarted-en');
  await waitForEngine(page);

  // The restarted engine has the account as it was saved: both functions, and the echo answers.
  answer = await send(page, 'lambda', 'ListFunctions', {});
  assert.equal(answer.error, false, answer.text);
  assert.match(answer.text, /"FunctionName": "echo"/);
  assert.match(answer.text, /"FunctionName": "spin"/);
  answer = await send(page, 'lambda', 'Invoke', { FunctionName: 'echo', Payload: JSON.stringify({ msg: 'again' }) });
  assert.match(answer.text, /echoed\\":\\"again/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
