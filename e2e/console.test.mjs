// Browser test of the console against an in-process control plane (ConsoleTestServer with a scripted stack).
// Needs: CONSOLE_CLASSPATH (target/classes, target/test-classes and the test dependencies), JAVA (optional).
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, check, assert, node, login, waitForState, openLog, waitForLogText, assertNoTokenInUrls }
  from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const docsShot = path.join(here, '..', 'docs', 'console.png');
const TOKEN = 'e2e-' + Math.random().toString(36).slice(2) + '-secret';

function startServer() {
  const classpath = process.env.CONSOLE_CLASSPATH;
  if (!classpath) {
    throw new Error('CONSOLE_CLASSPATH is not set (run e2e/run.sh)');
  }
  const java = process.env.JAVA || 'java';
  const child = spawn(java, ['-cp', classpath, 'org.ailtire.view.ConsoleTestServer', '0', TOKEN],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  let ready;
  const port = new Promise((resolve, reject) => {
    ready = resolve;
    child.on('exit', (code) => reject(new Error('ConsoleTestServer exited with ' + code)));
  });
  lines.on('line', (line) => {
    const listening = /^listening (\d+)$/.exec(line);
    if (listening) {
      ready(Number(listening[1]));
    } else if (line === 'ok' || line.startsWith('error ')) {
      waiting.shift()(line);
    }
  });
  return {
    port,
    command(text) {
      return new Promise((resolve, reject) => {
        waiting.push((answer) => answer === 'ok' ? resolve() : reject(new Error(text + ': ' + answer)));
        child.stdin.write(text + '\n');
      });
    },
    stop() {
      child.stdin.end('quit\n');
    },
  };
}

const server = startServer();
let browser;
try {
  const port = await server.port;
  const consoleUrl = `http://127.0.0.1:${port}/_ailtire/`;
  browser = await launch(artifacts);
  const { page } = browser;

  await check('the console loads without a token, with its security headers', async () => {
    const response = await page.goto(consoleUrl);
    assert(response.status() === 200, 'status ' + response.status());
    const headers = response.headers();
    assert(headers['content-security-policy'].includes("default-src 'self'"), 'CSP: ' + headers['content-security-policy']);
    assert(headers['x-content-type-options'] === 'nosniff', 'nosniff');
    await page.locator('#login-form').waitFor({ state: 'visible' });
  });

  await check('a wrong token is refused and the form asks again', async () => {
    await page.fill('#token-input', 'wrong-token');
    await page.click('#login-submit');
    await page.locator('#login-error', { hasText: 'refused' }).waitFor();
  });

  await check('with the token the tree shows stacks and services at every depth', async () => {
    await login(page, TOKEN);
    await waitForState(page, 'web', 'RUNNING');
    await waitForState(page, 'backend/api', 'RUNNING');
    await waitForState(page, 'backend/db/store', 'RUNNING');
    const store = node(page, 'backend/db/store');
    assert((await store.locator(':scope > .row > .message').textContent()) === 'store ready', 'last log line');
    assert((await node(page, 'backend').getAttribute('data-aggregate')) === 'HEALTHY', 'backend aggregate');
  });

  await check('child stacks collapse and expand', async () => {
    await node(page, 'backend/db').locator(':scope > .row > .toggle').click();
    await node(page, 'backend/db/store').waitFor({ state: 'detached' });
    await node(page, 'backend/db').locator(':scope > .row > .toggle').click();
    await node(page, 'backend/db/store').waitFor();
  });

  await check('a state change is pushed live, without a reload', async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await server.command('state backend/api FAILED');
    await waitForState(page, 'backend/api', 'FAILED');
    await page.locator('#tree li[data-path="backend"][data-aggregate="DEGRADED"]').waitFor();
    const dot = await node(page, 'backend/api').locator(':scope > .row > .dot').getAttribute('class');
    assert(dot.includes('tone-bad'), 'failed is red: ' + dot);
    assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded');
  });

  await check('a log line with HTML is shown as text, and new lines follow live', async () => {
    await openLog(page, 'web');
    await waitForLogText(page, 'web ready');
    await server.command('log web stdout <b>x</b>');
    await waitForLogText(page, '<b>x</b>');
    assert(await page.locator('#log-output b').count() === 0, 'a <b> element was created from log text');
    await page.locator('#tree li[data-path="web"] .message', { hasText: '<b>x</b>' }).waitFor();
    assert(await page.locator('#tree b').count() === 0, 'a <b> element was created in the tree');
  });

  await check('stderr tab of a grandchild service', async () => {
    await openLog(page, 'backend/api', 'stderr');
    await waitForLogText(page, 'api warming up');
    const text = await page.locator('#log-output').textContent();
    assert(!text.includes('hello from the backend'), 'stdout line shown on the stderr tab');
    await openLog(page, 'backend/db/store', 'stdout');
    await waitForLogText(page, 'store ready');
  });

  await page.screenshot({ path: path.join(artifacts, 'console-inprocess.png') });
  fs.mkdirSync(path.dirname(docsShot), { recursive: true });
  await page.screenshot({ path: docsShot });

  await check('update: diff against the applied definition, apply, progress', async () => {
    await page.click('#update-open');
    await page.waitForFunction(() => document.getElementById('definition-input').value.includes('image:'));
    await page.locator('#diff-summary', { hasText: 'no changes' }).waitFor();
    await page.fill('#definition-input',
      'services:\n  web:\n    image: ailtire/busybox:local\n    environment:\n      GREETING: ${GREETING}\n');
    await page.locator('#diff-summary', { hasText: '+2' }).waitFor();
    assert(await page.locator('#diff-output .diff-add').count() === 2, 'two added lines');
    await page.fill('#environment-input', 'GREETING=<i>hi</i>\n');
    await page.screenshot({ path: path.join(artifacts, 'console-update.png') });
    await page.click('#update-apply');
    await page.locator('#update-progress li', { hasText: 'update succeeded' }).waitFor();
    await page.locator('#update-progress li', { hasText: 'plan' }).waitFor();
    await page.locator('#diff-summary', { hasText: 'no changes' }).waitFor();
    await page.click('#update-cancel');
  });

  await check('shutdown asks first, then stops the stack', async () => {
    await page.click('#shutdown-open');
    await page.locator('#shutdown-name', { hasText: 'shop' }).waitFor();
    await page.click('#shutdown-cancel');
    await page.waitForTimeout(300);
    assert((await node(page, '').getAttribute('data-state')) === 'RUNNING', 'cancel must not shut down');
    await page.click('#shutdown-open');
    await page.click('#shutdown-confirm');
    await waitForState(page, 'web', 'STOPPED');
    await page.locator('#tree li[data-path=""][data-state="STOPPED"]').waitFor();
  });

  await check('embed mode hides the chrome and opens a log from the fragment', async () => {
    const embedded = await browser.context.newPage();
    await embedded.goto(consoleUrl + '?embed=1#log=backend/db/store');
    assert(!(await embedded.locator('#chrome').isVisible()), 'chrome visible in embed mode');
    await login(embedded, TOKEN);
    await waitForLogText(embedded, 'store ready');
    await embedded.screenshot({ path: path.join(artifacts, 'console-embed.png') });
    await embedded.close();
  });

  await check('no token in any URL, no CSP violation, no page error', async () => {
    assertNoTokenInUrls(browser.requests, TOKEN);
    assert(browser.problems.length === 0, browser.problems.join('\n'));
  });
  console.log('screenshots: ' + artifacts + ', ' + docsShot);
} finally {
  if (browser) {
    await browser.close();
  }
  server.stop();
}
