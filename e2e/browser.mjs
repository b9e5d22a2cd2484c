// Shared helpers of the console's browser tests: Debian's chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIMEOUT = 20_000;

export async function launch(artifacts) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ailtire-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1360, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(TIMEOUT);
  const problems = [];
  const requests = [];
  context.on('page', (page) => watch(page, problems, requests));
  const page = context.pages()[0] || await context.newPage();
  watch(page, problems, requests);
  fs.mkdirSync(artifacts, { recursive: true });
  return {
    context, page, problems, requests,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function watch(page, problems, requests) {
  if (page.__watched) {
    return;
  }
  page.__watched = true;
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // A refused favicon, the 401 of a deliberately wrong token and the 400 of an update or preview of an invalid
    // definition (shown in the update dialog) are not problems of the page.
    const url = m.location().url || '';
    const expected = /favicon|401/.test(m.text() + url)
      || (/status of 400/.test(m.text()) && /\/api\/v1\/update(\/preview)?$/.test(url));
    if (m.type() === 'error' && !expected) {
      problems.push('console error: ' + m.text());
    }
  });
  page.on('request', (r) => requests.push(r.url()));
}

let step = 0;
export async function check(name, body) {
  step++;
  const started = Date.now();
  try {
    await body();
    console.log(`ok ${step} - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    console.log(`not ok ${step} - ${name}`);
    throw e;
  }
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error('assertion failed: ' + message);
  }
}

/** The tree row of a service or stack by its path ('' is the root). */
export function node(page, servicePath) {
  return page.locator(`#tree li[data-path="${servicePath}"]`);
}

export async function login(page, token) {
  await page.locator('#token-input').waitFor({ state: 'visible' });
  await page.fill('#token-input', token);
  await page.click('#login-submit');
  await page.locator('#console').waitFor({ state: 'visible' });
  await page.locator('#connection[data-state="live"]').waitFor();
}

export async function waitForState(page, servicePath, state) {
  await page.locator(`#tree li[data-path="${servicePath}"][data-state="${state}"]`).waitFor();
}

export async function openLog(page, servicePath, stream) {
  await node(page, servicePath).locator(':scope > .row > button.name').click();
  await page.locator('#log-service', { hasText: servicePath }).waitFor();
  if (stream) {
    await page.click(`.tab[data-stream="${stream}"]`);
  }
  await page.locator('#log-state', { hasText: 'following' }).waitFor();
}

export async function waitForLogText(page, text) {
  await page.waitForFunction((t) => document.getElementById('log-output').textContent.includes(t), text,
    { timeout: TIMEOUT });
}

export function assertNoTokenInUrls(requests, token) {
  const leaking = requests.filter((u) => u.includes(token) || u.includes(encodeURIComponent(token)));
  assert(leaking.length === 0, 'the token appears in request URLs: ' + leaking.join(', '));
}
