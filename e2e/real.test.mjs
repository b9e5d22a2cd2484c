// Browser test of the console against a real deployment of examples/shop (see run-real.sh).
// Needs: CONSOLE_URL (…/_ailtire/), CONSOLE_TOKEN, API_SERVICE (the swarm service of backend's api).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, check, assert, login, openLog, waitForLogText, assertNoTokenInUrls }
  from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const { CONSOLE_URL, CONSOLE_TOKEN, API_SERVICE } = process.env;
if (!CONSOLE_URL || !CONSOLE_TOKEN || !API_SERVICE) {
  throw new Error('CONSOLE_URL, CONSOLE_TOKEN and API_SERVICE must be set (run e2e/run-real.sh)');
}
const SLOW = 120_000;

const browser = await launch(artifacts);
try {
  const { page } = browser;

  await check('the real controller serves the console and the tree at three levels', async () => {
    await page.goto(CONSOLE_URL);
    await login(page, CONSOLE_TOKEN);
    for (const service of ['web', 'backend/api', 'backend/db/store', 'backend/db/postgres']) {
      await page.locator(`#tree li[data-path="${service}"][data-state="RUNNING"]`).waitFor({ timeout: SLOW });
    }
  });

  await check('the gateway\'s routes and the nodes services run on are shown', async () => {
    await page.locator('#routes td.route-path', { hasText: '/backend' }).waitFor({ timeout: SLOW });
    const targets = await page.locator('#routes tr').allTextContents();
    assert(targets.some((row) => row.includes('stack backend')), 'no route to the backend stack in: ' + targets);
    assert(targets.some((row) => row.includes('web:8000')), 'no route to web:8000 in: ' + targets);
    await page.locator('#tree li[data-path="web"] .nodes', { hasText: 'on ' }).waitFor({ timeout: SLOW });
  });

  await check('killing a task of backend\'s api shows live in the tree', async () => {
    // Every render of the tree is recorded, so a short-lived state between two renders is not missed.
    await page.evaluate(() => {
      window.__apiStates = [];
      new MutationObserver(() => {
        const row = document.querySelector('#tree li[data-path="backend/api"]');
        if (row) {
          window.__apiStates.push(row.dataset.state);
        }
      }).observe(document.getElementById('tree'), { childList: true, subtree: true });
    });
    const containers = execFileSync('docker', ['ps', '-q', '--filter',
      `label=com.docker.swarm.service.name=${API_SERVICE}`], { encoding: 'utf8' }).trim().split('\n')
      .filter((id) => id);
    assert(containers.length > 0, 'no running container of ' + API_SERVICE);
    execFileSync('docker', ['kill', containers[0]]);
    await page.waitForFunction(() => window.__apiStates.some((s) => s !== 'RUNNING'), null, { timeout: SLOW });
    const seen = await page.evaluate(() => window.__apiStates.filter((s) => s !== 'RUNNING'));
    console.log('  api states seen after the kill: ' + [...new Set(seen)].join(', '));
    await page.screenshot({ path: path.join(artifacts, 'console-real-failed.png') });
    await page.locator('#tree li[data-path="backend/api"][data-state="RUNNING"]').waitFor({ timeout: SLOW });
  });

  await check('the grandchild backend/db/store log shows "store ready"', async () => {
    await openLog(page, 'backend/db/store');
    await page.waitForFunction(
      () => document.getElementById('log-output').textContent.includes('store ready'), null, { timeout: SLOW });
    await waitForLogText(page, 'store');
  });

  await check('the applied definition is there for the update diff', async () => {
    await page.click('#update-open');
    await page.waitForFunction(() => document.getElementById('definition-input').value.includes('backend'),
      null, { timeout: SLOW });
    await page.locator('#diff-summary', { hasText: 'no changes' }).waitFor();
    await page.click('#update-cancel');
  });

  await page.screenshot({ path: path.join(artifacts, 'console-real.png') });

  await check('no token in any URL, no CSP violation, no page error', async () => {
    assertNoTokenInUrls(browser.requests, CONSOLE_TOKEN);
    assert(browser.problems.length === 0, browser.problems.join('\n'));
  });
} finally {
  await browser.close();
}
