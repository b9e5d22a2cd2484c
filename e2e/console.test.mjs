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
const docsHistoryShot = path.join(here, '..', 'docs', 'console-history.png');
// The screenshots in docs/ are re-taken only when asked (UPDATE_DOCS_SCREENSHOTS=1), so a test run changes no tracked file.
const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';
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

  await check('the swarm nodes are listed, a node down or drained marked', async () => {
    assert(await page.locator('#nodes-pane').isHidden(), 'no nodes pane before any node is told');
    await server.command('node manager-1 manager ready active');
    await server.command('node worker-1 worker down active');
    await page.locator('#cluster-nodes tr[data-node="worker-1"].node-off').waitFor();
    assert((await page.locator('#cluster-nodes tr[data-node="manager-1"]').getAttribute('class')) === 'node-ok',
      'a ready, active node is not marked');
    await server.command('node worker-1 worker ready drain');
    await page.locator('#cluster-nodes tr[data-node="worker-1"].node-off td', { hasText: 'drain' }).waitFor();
  });

  const tasksOf = (nodeName) => page.locator(`#cluster-nodes tr[data-tasks-of="${nodeName}"]`);
  const taskTexts = (nodeName) => tasksOf(nodeName).locator('li').evaluateAll((items) => items.map((i) => i.textContent));

  await check('the nodes view lists the tasks of the whole tree under the node they run on', async () => {
    await server.command('node worker-2 worker ready active');
    await server.command('place web manager-1=1 worker-2=2');
    await server.command('place backend/db/store worker-2=1');
    await server.command('place backend/api k3x9=1');
    await tasksOf('worker-2').locator('li[data-path="backend/db/store"]', { hasText: 'backend/db/store ×1' }).waitFor();
    assert((await taskTexts('worker-2')).join('|') === 'web ×2|backend/db/store ×1', 'worker-2: ' + await taskTexts('worker-2'));
    assert((await taskTexts('manager-1')).join('|') === 'web ×1', 'manager-1: ' + await taskTexts('manager-1'));
    assert((await taskTexts('worker-1')).join('|') === 'no tasks', 'the drained worker-1: ' + await taskTexts('worker-1'));
    // A node the placement names that the swarm does not list is shown, its state unknown, and marked.
    const lost = page.locator('#cluster-nodes tr[data-node="k3x9"].node-off');
    await lost.locator('td', { hasText: 'unknown' }).waitFor();
    assert((await taskTexts('k3x9')).join('|') === 'backend/api ×1', 'k3x9: ' + await taskTexts('k3x9'));
    const rows = await page.locator('#cluster-nodes tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.node || '>' + tr.dataset.tasksOf));
    assert(rows.join(',') === 'manager-1,>manager-1,worker-1,>worker-1,worker-2,>worker-2,k3x9,>k3x9',
      'each node followed by its tasks, the unknown node last: ' + rows);
  });

  await check('tasks move between nodes live, and a drained node is marked with its tasks still shown', async () => {
    await server.command('place web manager-1=3');
    await tasksOf('manager-1').locator('li', { hasText: 'web ×3' }).waitFor();
    assert((await taskTexts('worker-2')).join('|') === 'backend/db/store ×1', 'web left worker-2: ' + await taskTexts('worker-2'));
    await server.command('node worker-2 worker ready drain');
    await page.locator('#cluster-nodes tr[data-node="worker-2"].node-off td', { hasText: 'drain' }).waitFor();
    assert((await taskTexts('worker-2')).join('|') === 'backend/db/store ×1', 'still on the drained node until moved');
    await server.command('place backend/db/store manager-1=1');
    await tasksOf('worker-2').locator('li', { hasText: 'no tasks' }).waitFor();
    assert((await taskTexts('manager-1')).join('|') === 'web ×3|backend/db/store ×1', 'manager-1: ' + await taskTexts('manager-1'));
    await server.command('place backend/api');
    await page.locator('#cluster-nodes tr[data-node="k3x9"]').waitFor({ state: 'detached' });
    assert(await page.locator('#tree b, #cluster-nodes b').count() === 0, 'no element from data');
  });

  await check('a task in the nodes view opens its service\'s log', async () => {
    await tasksOf('manager-1').locator('li[data-path="backend/db/store"] button').click();
    await page.locator('#log-service', { hasText: 'backend/db/store' }).waitFor();
    await waitForLogText(page, 'store ready');
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
  if (updateDocs) await page.screenshot({ path: docsShot });

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

  const webAndWorker = 'services:\n  web:\n    image: ailtire/busybox:local\n    environment:\n      GREETING: ${GREETING}\n'
    + '  worker:\n    image: ailtire/busybox:local\n';
  const changeList = (kind) => page.locator(`#preview-services li[data-kind="${kind}"]`);
  const previewRequests = () => browser.requests.filter((u) => u.endsWith('/api/v1/update/preview')).length;

  await check('update preview: the server says which services would be created, updated, left alone, removed', async () => {
    await page.click('#update-open');
    await changeList('unchanged').filter({ hasText: 'web' }).waitFor();
    assert(await changeList('create').count() === 0, 'nothing to create for the applied definition');
    await page.fill('#definition-input', webAndWorker);
    await changeList('create').filter({ hasText: 'worker' }).waitFor();
    await changeList('unchanged').filter({ hasText: 'web' }).waitFor();
    await page.locator('#diff-summary', { hasText: '+2' }).waitFor();
    await page.locator('#preview-state', { hasText: 'against version 2' }).waitFor();

    // The environment is part of what is previewed: another GREETING replaces web's tasks.
    const before = previewRequests();
    await page.fill('#environment-input', '');
    await page.type('#environment-input', 'GREETING=hello', { delay: 5 });
    await changeList('update').filter({ hasText: 'web' }).waitFor();
    const sent = previewRequests() - before;
    assert(sent >= 1 && sent <= 3, 'typing 14 characters sent ' + sent + ' previews (debounced: a few at most)');

    await page.fill('#definition-input', 'services:\n  worker:\n    image: ailtire/busybox:local\n');
    await changeList('remove').filter({ hasText: 'web' }).waitFor();
    await changeList('create').filter({ hasText: 'worker' }).waitFor();
    assert(await page.locator('#diff-output .diff-del', { hasText: 'web:' }).count() === 1, 'web removed in the diff');
    assert(await page.locator('#diff-output .diff-add', { hasText: 'worker:' }).count() === 1, 'worker added in the diff');
    await page.screenshot({ path: path.join(artifacts, 'console-preview.png') });

    await page.fill('#definition-input', 'services:\n  web:\n    imagee: ailtire/busybox:local\n');
    await page.locator('#preview-problems li', { hasText: 'services.web.imagee: unknown key' }).waitFor();
    await page.locator('#preview-state', { hasText: 'refused' }).waitFor();
    assert(await page.locator('#preview-services li').count() === 0, 'no service changes for a refused definition');
    await page.click('#update-apply');
    await page.locator('#update-error', { hasText: 'services.web.imagee: unknown key' }).waitFor();
    assert(await page.locator('#update-progress li').count() === 0, 'a refused update shows no progress');

    await page.fill('#definition-input', webAndWorker);
    await page.fill('#environment-input', 'GREETING=<i>hi</i>\n');
    await changeList('create').filter({ hasText: 'worker' }).waitFor();
    assert(await page.locator('#preview-problems li').count() === 0, 'the problems are gone');
    await page.click('#update-apply');
    await page.locator('#update-progress li', { hasText: 'update succeeded' }).waitFor();
    await page.locator('#update-progress li', { hasText: 'service worker · created' }).waitFor();
    await changeList('unchanged').filter({ hasText: 'worker' }).waitFor();
    await page.locator('#diff-summary', { hasText: 'no changes' }).waitFor();
    await page.click('#update-cancel');
  });

  await check('a failed update is reported and kept', async () => {
    await server.command('fail-next <b>pull</b> refused: no registry');
    await page.click('#update-open');
    await page.fill('#definition-input', webAndWorker.replace('busybox:local\n    environment', 'busybox:broken\n    environment'));
    await changeList('update').filter({ hasText: 'web' }).waitFor();
    await page.click('#update-apply');
    await page.locator('#update-progress li', { hasText: 'update failed' }).waitFor();
    await page.click('#update-cancel');
  });

  const versionRow = (version) => page.locator(`#history-versions li[data-version="${version}"]`);

  await check('history: the versions newest first, the current one marked, a failed one with its message', async () => {
    await page.click('#history-open');
    await page.locator('#history-versions li').nth(3).waitFor();
    const versions = await page.locator('#history-versions li').evaluateAll(
      (items) => items.map((item) => item.dataset.version));
    assert(versions.join(',') === '4,3,2,1', 'newest first: ' + versions);
    assert(await page.locator('#history-versions li[data-current="true"]').getAttribute('data-version') === '3',
      'version 3 is current');
    assert(await versionRow(4).getAttribute('data-outcome') === 'FAILED', 'version 4 failed');
    const failure = await versionRow(4).locator('.version-message').textContent();
    assert(failure.includes('<b>pull</b> refused'), 'the failure message as text: ' + failure);
    assert(await page.locator('#history-dialog b').count() === 0, 'a <b> element was created from the history');
    assert((await versionRow(2).locator('.version-meta').textContent()).includes('web console'), 'actor of version 2');
    assert((await versionRow(1).locator('.version-meta').textContent()).includes('ailtire at start'), 'actor of version 1');
  });

  await check('history: a version shows its diff against the current version, or its text', async () => {
    await versionRow(1).locator('button').click();
    await page.locator('#version-title', { hasText: 'Version 1 against version 3' }).waitFor();
    await page.locator('#version-output[data-view="diff"] .diff-del').first().waitFor();
    assert(await page.locator('#version-output .diff-del').count() === 4, 'environment and worker are not in version 1');
    assert(await page.locator('#version-output .diff-add').count() === 0, 'version 1 adds nothing');
    await page.click('.tab[data-view="text"]');
    await page.locator('#version-output[data-view="text"]').waitFor();
    const text = await page.locator('#version-output').textContent();
    assert(text === 'services:\n  web:\n    image: ailtire/busybox:local\n', 'the text of version 1: ' + text);
    await page.click('.tab[data-view="diff"]');
    await page.locator('#version-output[data-view="diff"]').waitFor();
  });

  await check('history: rollback asks first, follows the progress, then the history has one more version', async () => {
    await versionRow(2).locator('button').click();
    await page.locator('#version-title', { hasText: 'Version 2 against version 3' }).waitFor();
    await page.click('#rollback-open');
    await page.locator('#rollback-question', { hasText: 'Roll back to version 2?' }).waitFor();
    await page.click('#rollback-cancel');
    await page.locator('#rollback-confirm-box').waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    assert(await page.locator('#history-versions li').count() === 4, 'cancel must not roll back');
    assert(await page.locator('#rollback-progress li').count() === 0, 'cancel must not start anything');

    await page.click('#rollback-open');
    await page.locator('#rollback-confirm', { hasText: 'Roll back to version 2' }).click();
    await page.locator('#rollback-progress li', { hasText: 'service worker · removed' }).waitFor();
    await page.locator('#rollback-progress li', { hasText: 'rollback to version 2 succeeded' }).waitFor();
    await page.locator('#history-versions li[data-version="5"][data-current="true"]').waitFor();
    assert(await page.locator('#history-versions li').count() === 5, 'one more version');
    const meta = await versionRow(5).locator('.version-meta').textContent();
    assert(meta.includes('web console') && meta.includes('rollback to version 2'), 'actor of version 5: ' + meta);
    assert(await page.locator('#rollback-open').isDisabled(), 'no rollback to the version applied now');
  });

  await check('events: who did what, when and how it ended, newest first', async () => {
    await page.locator('#events tr[data-action="rollback"][data-result="requested"]').waitFor();
    const rows = await page.locator('#events tr').evaluateAll((items) => items.map((row) => ({
      sequence: Number(row.dataset.sequence), action: row.dataset.action, result: row.dataset.result,
      actor: row.querySelector('.event-actor').textContent, detail: row.querySelector('.event-detail').textContent,
    })));
    const sequences = rows.map((row) => row.sequence);
    assert(sequences.every((s, i) => i === 0 || s < sequences[i - 1]), 'newest first: ' + sequences);
    assert(rows[0].action === 'update' && rows[0].result === 'succeeded'
      && rows[0].actor.includes('(rollback to version 2)'), 'newest: the rollback succeeded: ' + JSON.stringify(rows[0]));
    const failed = rows.find((row) => row.action === 'update' && row.result === 'failed');
    assert(failed && failed.detail.includes('<b>pull</b> refused') && failed.actor.startsWith('web console'),
      'the failed update: ' + JSON.stringify(failed));
    const started = rows.filter((row) => row.action === 'update' && row.result === 'started'
      && row.actor.startsWith('web console'));
    assert(started.length === 4, 'the console started four updates (two, the failed one, the rollback): '
      + JSON.stringify(rows));
    await versionRow(3).locator('button').click();
    await page.locator('#version-title', { hasText: 'Version 3 against version 5' }).waitFor();
    await page.locator('#rollback-open', { hasText: 'Roll back to version 3' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'console-history.png') });
    if (updateDocs) await page.screenshot({ path: docsHistoryShot });
    await page.click('#history-close');
  });

  const controlsOf = (servicePath) => node(page, servicePath).locator(':scope > .row > .service-actions');
  const serviceProgress = (text) => page.locator('#service-progress li', { hasText: text });

  await check('the stack\'s own services have scale and redeploy controls, its child stacks\' services none', async () => {
    await controlsOf('web').locator('.scale-input').waitFor();
    assert(await controlsOf('backend/api').count() === 0, 'a child stack\'s service is scaled through its own controller');
    assert(await controlsOf('backend/db/store').count() === 0, 'nor a grandchild\'s');
    assert(await node(page, 'backend').locator(':scope > .row > .service-actions').count() === 0, 'nor a child stack');
    assert(await page.locator('#service-action-pane').isHidden(), 'no action yet');
  });

  await check('scale: the number typed survives a status change, then the update is followed to its end', async () => {
    // 4, not the 3 tasks web runs now (what a control made again would show).
    await controlsOf('web').locator('.scale-input').fill('4');
    await controlsOf('web').locator('.scale-input').focus();
    await server.command('log web stdout scaling soon');
    await page.locator('#tree li[data-path="web"] .message', { hasText: 'scaling soon' }).waitFor();
    assert(await controlsOf('web').locator('.scale-input').inputValue() === '4', 'the typed number was lost');
    assert(await page.evaluate(() => document.activeElement.classList.contains('scale-input')), 'the focus was lost');
    await controlsOf('web').locator('button.scale-button').click();
    await serviceProgress('service web · scaled to 4').waitFor();
    await serviceProgress('scale web to 4 succeeded').waitFor();
    await page.locator('#service-action-title', { hasText: 'scale web to 4' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'console-scale.png') });
    assert(!(await controlsOf('web').locator('button.scale-button').isDisabled()), 'enabled again once done');
  });

  await check('scale: a number that is no replica count is refused in the page', async () => {
    const before = browser.requests.filter((u) => u.endsWith('/scale')).length;
    await controlsOf('web').locator('.scale-input').fill('');
    await controlsOf('web').locator('button.scale-button').click();
    await page.locator('#service-error', { hasText: 'replicas: expected a whole number from 0 to 1000' }).waitFor();
    assert(browser.requests.filter((u) => u.endsWith('/scale')).length === before, 'nothing was sent');
  });

  await check('redeploy: the update is followed, a failure reported, and both are in the history', async () => {
    await controlsOf('web').locator('button.redeploy-button').click();
    await serviceProgress('service web · redeployed').waitFor();
    await serviceProgress('redeploy web succeeded').waitFor();
    assert(await serviceProgress('scaled to').count() === 0, 'the progress of the scale before was cleared');

    await server.command('fail-next <b>pull</b> refused: no registry');
    await controlsOf('web').locator('.scale-input').fill('2');
    await controlsOf('web').locator('button.scale-button').click();
    await serviceProgress('scale web to 2 failed').waitFor();
    assert(await page.locator('#service-progress b').count() === 0, 'a <b> element was created from the progress');

    await page.click('#history-open');
    await versionRow(8).waitFor();
    const actor = async (version) => versionRow(version).locator('.version-meta').textContent();
    const byConsole = (meta, what) => meta.includes('web console') && meta.endsWith('(' + what + ')');
    assert(byConsole(await actor(6), 'scale web to 4'), 'version 6: ' + await actor(6));
    assert(byConsole(await actor(7), 'redeploy web'), 'version 7: ' + await actor(7));
    assert(await versionRow(8).getAttribute('data-outcome') === 'FAILED', 'version 8 failed');
    await page.click('#history-close');
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
  console.log('screenshots: ' + artifacts + (updateDocs ? ', ' + docsShot + ', ' + docsHistoryShot : ''));
} finally {
  if (browser) {
    await browser.close();
  }
  server.stop();
}
