// The ailtire live console. Hand-written, no framework, no build step.
// Rules kept throughout: data from the API is only ever inserted with textContent (never parsed as HTML), the token
// travels only in the Authorization header (never in a URL), and every URL is relative so the page works under
// any path prefix and inside an iframe.
'use strict';

(function () {
  const API = '../api/v1/';
  const TOKEN_KEY = 'ailtire-token:' + location.pathname;
  const MAX_LOG_LINES = 5000;
  const STATE_CLASSES = {
    RUNNING: 'ok', HEALTHY: 'ok',
    STARTING: 'busy', UPDATING: 'busy', STOPPING: 'busy', DEGRADED: 'busy',
    FAILED: 'bad', UNREACHABLE: 'bad',
    STOPPED: 'off'
  };

  const $ = (id) => document.getElementById(id);
  const options = readOptions();
  const collapsed = new Set();
  let statusStream = null;
  let logStream = null;
  let logService = null;
  let logChannel = 'stdout';
  let lastStatus = null;

  // ---- options: ?embed=1 or #embed hides the chrome; #log=a/b/c opens that service's log ----
  function readOptions() {
    const query = new URLSearchParams(location.search);
    const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
    return {
      embed: query.get('embed') === '1' || hash.has('embed'),
      log: hash.get('log') || query.get('log')
    };
  }

  // ---- token ----
  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function askForToken(message) {
    stopStreams();
    sessionStorage.removeItem(TOKEN_KEY);
    $('console').hidden = true;
    $('forget-token').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token-input').value = '';
    $('token-input').focus();
  }

  class Unauthorized extends Error {
  }

  // ---- HTTP ----
  async function api(path, init) {
    const request = Object.assign({cache: 'no-store', credentials: 'omit'}, init || {});
    request.headers = Object.assign({'Authorization': 'Bearer ' + token()}, request.headers || {});
    const response = await fetch(API + path, request);
    if (response.status === 401) {
      throw new Unauthorized('the token was refused');
    }
    return response;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      const details = Array.isArray(body.details) && body.details.length ? ': ' + body.details.join('; ') : '';
      return (body.error || ('HTTP ' + response.status)) + details;
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  // Server-Sent Events over fetch (the built-in SSE client cannot send an Authorization header).
  // Calls onEvent(name, data) per event; resolves when the server ends the stream, rejects on errors.
  async function readEvents(path, signal, onOpen, onEvent) {
    const response = await api(path, {signal: signal, headers: {'Accept': 'text/event-stream'}});
    if (!response.ok) {
      throw new Error(await errorText(response));
    }
    onOpen();
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) {
        return;
      }
      buffer += decoder.decode(chunk.value, {stream: true});
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (data.length) {
            onEvent(name, data.join('\n'));
          }
          name = 'message';
          data = [];
        } else if (line.startsWith(':')) {
          // comment: keep-alive
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) {
            value = value.slice(1);
          }
          if (field === 'event') {
            name = value;
          } else if (field === 'data') {
            data.push(value);
          }
        }
      }
    }
  }

  // Keeps an event stream open, reconnecting with a growing delay (not a polling loop: the server pushes).
  function followEvents(path, handlers) {
    const controller = new AbortController();
    let delay = 1000;
    (async function loop() {
      while (!controller.signal.aborted) {
        try {
          await readEvents(path, controller.signal, () => {
            delay = 1000;
            handlers.open();
          }, handlers.event);
          if (handlers.ended && handlers.ended()) {
            return;
          }
        } catch (e) {
          if (controller.signal.aborted) {
            return;
          }
          if (e instanceof Unauthorized) {
            askForToken('The token was refused. Enter it again.');
            return;
          }
          handlers.error(e);
          if (handlers.stopOnError) {
            return;
          }
        }
        handlers.retrying(delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 15000);
      }
    })();
    return controller;
  }

  function stopStreams() {
    if (statusStream) {
      statusStream.abort();
      statusStream = null;
    }
    if (logStream) {
      logStream.abort();
      logStream = null;
    }
  }

  // ---- DOM helpers: text only ----
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function stateBadge(value, kind) {
    const badge = el('span', 'badge ' + kind + ' tone-' + (STATE_CLASSES[value] || 'off'), value.toLowerCase());
    badge.dataset.value = value;
    return badge;
  }

  // ---- status tree ----
  function setConnection(state, text) {
    const node = $('connection');
    node.dataset.state = state;
    node.textContent = text;
  }

  function connectStatus() {
    setConnection('connecting', 'connecting…');
    statusStream = followEvents('status/events', {
      open: () => setConnection('live', 'live'),
      event: (name, data) => {
        if (name === 'status') {
          lastStatus = JSON.parse(data);
          renderTree(lastStatus);
        }
      },
      error: (e) => setConnection('down', 'disconnected: ' + e.message),
      retrying: (delay) => setConnection('down', 'disconnected, retrying in ' + Math.round(delay / 1000) + ' s')
    });
  }

  function renderTree(root) {
    $('stack-title').textContent = root.name + ' — ' + String(root.aggregate || root.state).toLowerCase();
    $('shutdown-name').textContent = root.name;
    document.title = root.name + ' · ailtire';
    const list = $('tree');
    const rows = [renderNode(root, '', 0)];
    list.replaceChildren(...rows);
  }

  function renderNode(status, path, depth) {
    const isStack = status.type === 'STACK';
    const item = el('li', 'node ' + (isStack ? 'stack' : 'service'));
    item.setAttribute('role', 'treeitem');
    item.dataset.path = path;
    item.dataset.state = status.state;
    if (isStack) {
      item.dataset.aggregate = status.aggregate;
    }
    const row = el('div', 'row');
    const children = status.children || [];
    const open = !collapsed.has(path);
    if (isStack && children.length) {
      const toggle = el('button', 'toggle', open ? '▾' : '▸');
      toggle.type = 'button';
      toggle.setAttribute('aria-label', (open ? 'Collapse ' : 'Expand ') + (path || status.name));
      toggle.setAttribute('aria-expanded', String(open));
      toggle.addEventListener('click', () => {
        if (collapsed.has(path)) {
          collapsed.delete(path);
        } else {
          collapsed.add(path);
        }
        renderTree(lastStatus);
      });
      row.append(toggle);
    } else {
      row.append(el('span', 'toggle-space'));
    }
    row.append(el('span', 'dot tone-' + (STATE_CLASSES[isStack ? status.aggregate : status.state] || 'off')));
    let name;
    if (isStack) {
      name = el('span', 'name', status.name);
    } else {
      name = el('button', 'name link', status.name);
      name.type = 'button';
      name.title = 'Show the logs of ' + path;
      name.addEventListener('click', () => openLog(path));
      if (path === logService) {
        item.classList.add('selected');
      }
    }
    row.append(name, stateBadge(status.state, 'state'));
    if (isStack) {
      row.append(stateBadge(status.aggregate, 'aggregate'));
    }
    if (!isStack && status.nodes && status.nodes.length) {
      row.append(el('span', 'nodes', 'on ' + status.nodes.join(', ')));
    }
    row.append(el('span', 'message', status.message || ''));
    item.append(row);
    if (isStack && children.length && open) {
      const group = el('ul', 'children');
      group.setAttribute('role', 'group');
      for (const child of children) {
        group.append(renderNode(child, path ? path + '/' + child.name : child.name, depth + 1));
      }
      item.append(group);
    }
    return item;
  }

  // ---- logs ----
  function openLog(path) {
    logService = path;
    $('log-service').textContent = path;
    if (lastStatus) {
      renderTree(lastStatus);
    }
    followLog();
  }

  function followLog() {
    if (logStream) {
      logStream.abort();
    }
    const output = $('log-output');
    output.replaceChildren();
    if (!logService) {
      return;
    }
    const query = 'logs?service=' + encodeURIComponent(logService) + '&tail=200&stream=' + logChannel
        + '&follow=true';
    let ended = false;
    let shown = 0;
    $('log-state').textContent = 'connecting…';
    logStream = followEvents(query, {
      open: () => {
        $('log-state').textContent = 'following';
        // A reconnect replays the tail: start over rather than show lines twice.
        output.replaceChildren();
        shown = 0;
      },
      event: (name, data) => {
        if (name === 'log') {
          appendLogLine(output, JSON.parse(data));
          shown++;
        } else if (name === 'end') {
          const end = JSON.parse(data);
          ended = true;
          $('log-state').textContent = end.error ? 'ended: ' + end.error : 'ended';
        }
      },
      ended: () => ended,
      stopOnError: true,
      error: (e) => {
        $('log-state').textContent = 'error: ' + e.message;
      },
      retrying: () => {
        $('log-state').textContent = 'reconnecting…';
      }
    });
  }

  function appendLogLine(output, line) {
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    const row = el('span', 'line ' + String(line.stream || '').toLowerCase());
    if (line.at) {
      row.append(el('span', 'at', line.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')));
    }
    row.append(document.createTextNode(line.text + '\n'));
    output.append(row);
    while (output.childNodes.length > MAX_LOG_LINES) {
      output.firstChild.remove();
    }
    if (atBottom) {
      output.scrollTop = output.scrollHeight;
    }
  }

  function selectChannel(channel) {
    logChannel = channel;
    for (const tab of document.querySelectorAll('.tab')) {
      tab.setAttribute('aria-selected', String(tab.dataset.stream === channel));
    }
    followLog();
  }

  // ---- update ----
  let appliedDefinition = '';
  let updateStream = null;

  async function openUpdate() {
    $('update-error').textContent = '';
    $('update-progress').replaceChildren();
    $('update-apply').disabled = false;
    $('update-dialog').showModal();
    try {
      const response = await api('definition');
      if (response.ok) {
        appliedDefinition = (await response.json()).definition;
      } else if (response.status === 404) {
        appliedDefinition = '';
      } else {
        throw new Error(await errorText(response));
      }
      if (!$('definition-input').value) {
        $('definition-input').value = appliedDefinition;
      }
    } catch (e) {
      handleFailure(e, 'update-error', 'Reading the applied definition failed: ');
    }
    showDiff();
  }

  function showDiff() {
    const changes = lineDiff(splitLines(appliedDefinition), splitLines($('definition-input').value));
    const output = $('diff-output');
    output.replaceChildren();
    let added = 0;
    let removed = 0;
    for (const change of changes) {
      if (change.kind === '+') {
        added++;
      } else if (change.kind === '-') {
        removed++;
      }
    }
    for (const part of withContext(changes, 3)) {
      if (part === null) {
        output.append(el('span', 'diff-gap', '…\n'));
      } else {
        const cls = part.kind === '+' ? 'diff-add' : part.kind === '-' ? 'diff-del' : 'diff-same';
        output.append(el('span', cls, part.kind + ' ' + part.text + '\n'));
      }
    }
    $('diff-summary').textContent = added || removed ? '(+' + added + ' −' + removed + ')' : '(no changes)';
  }

  function splitLines(text) {
    if (!text) {
      return [];
    }
    const lines = text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    return lines;
  }

  // Longest common subsequence over lines; definitions are small enough for the O(n·m) table.
  function lineDiff(before, after) {
    const n = before.length;
    const m = after.length;
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = before[i] === after[j]
            ? table[(i + 1) * width + j + 1] + 1
            : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    const result = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (before[i] === after[j]) {
        result.push({kind: ' ', text: before[i]});
        i++;
        j++;
      } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) {
        result.push({kind: '-', text: before[i++]});
      } else {
        result.push({kind: '+', text: after[j++]});
      }
    }
    while (i < n) {
      result.push({kind: '-', text: before[i++]});
    }
    while (j < m) {
      result.push({kind: '+', text: after[j++]});
    }
    return result;
  }

  // Changed lines with `context` unchanged lines around them; null marks a gap.
  function withContext(changes, context) {
    const keep = new Array(changes.length).fill(false);
    changes.forEach((change, index) => {
      if (change.kind !== ' ') {
        for (let k = Math.max(0, index - context); k <= Math.min(changes.length - 1, index + context); k++) {
          keep[k] = true;
        }
      }
    });
    const parts = [];
    let gap = false;
    changes.forEach((change, index) => {
      if (keep[index]) {
        parts.push(change);
        gap = false;
      } else if (!gap) {
        parts.push(null);
        gap = true;
      }
    });
    return parts;
  }

  function parseEnvironment(text) {
    const environment = {};
    const problems = [];
    splitLines(text).forEach((line, index) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) {
        return;
      }
      const eq = trimmed.indexOf('=');
      if (eq <= 0) {
        problems.push('environment line ' + (index + 1) + ': expected KEY=VALUE');
      } else {
        environment[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1);
      }
    });
    return {environment, problems};
  }

  async function applyUpdate() {
    const errorBox = $('update-error');
    errorBox.textContent = '';
    const definition = $('definition-input').value;
    const parsed = parseEnvironment($('environment-input').value);
    if (!definition.trim()) {
      parsed.problems.unshift('the definition is empty');
    }
    if (parsed.problems.length) {
      errorBox.textContent = parsed.problems.join('; ');
      return;
    }
    const parameters = splitLines($('parameters-input').value).map((p) => p.trim()).filter((p) => p);
    const progress = $('update-progress');
    progress.replaceChildren();
    $('update-apply').disabled = true;
    try {
      const response = await api('update', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({parameters, environment: parsed.environment, definition})
      });
      if (response.status !== 202) {
        throw new Error(await errorText(response));
      }
      const started = await response.json();
      progress.append(el('li', 'phase-start', 'update ' + started.id + ' started'));
      let finished = false;
      updateStream = followEvents('updates/' + encodeURIComponent(started.id) + '/events', {
        open: () => {
          progress.replaceChildren(el('li', 'phase-start', 'update ' + started.id + ' started'));
        },
        event: (name, data) => {
          const event = JSON.parse(data);
          if (name === 'progress') {
            const text = [event.phase, event.subject, event.message].filter((t) => t).join(' · ');
            progress.append(el('li', 'phase-' + event.phase, text));
          } else if (name === 'end') {
            finished = true;
            progress.append(el('li', 'outcome outcome-' + String(event.state).toLowerCase(),
                'update ' + String(event.state).toLowerCase()));
            $('update-apply').disabled = false;
            if (event.state === 'SUCCEEDED') {
              appliedDefinition = definition;
              showDiff();
              loadRoutes().catch(() => {});
            }
          }
        },
        ended: () => finished,
        error: (e) => {
          errorBox.textContent = 'Following the update failed: ' + e.message;
        },
        retrying: () => {
        }
      });
    } catch (e) {
      $('update-apply').disabled = false;
      handleFailure(e, 'update-error', 'The update was refused: ');
    }
  }

  function closeUpdate() {
    if (updateStream) {
      updateStream.abort();
      updateStream = null;
    }
    $('update-dialog').close();
  }

  // ---- shutdown ----
  async function confirmShutdown() {
    $('shutdown-error').textContent = '';
    $('shutdown-confirm').disabled = true;
    try {
      const response = await api('shutdown', {method: 'POST'});
      if (response.status !== 202) {
        throw new Error(await errorText(response));
      }
      $('shutdown-dialog').close();
    } catch (e) {
      handleFailure(e, 'shutdown-error', 'Shutdown failed: ');
    } finally {
      $('shutdown-confirm').disabled = false;
    }
  }

  function handleFailure(e, boxId, prefix) {
    if (e instanceof Unauthorized) {
      for (const dialog of document.querySelectorAll('dialog[open]')) {
        dialog.close();
      }
      askForToken('The token was refused. Enter it again.');
    } else {
      $(boxId).textContent = prefix + e.message;
    }
  }

  // ---- start ----
  async function signIn(event) {
    event.preventDefault();
    const candidate = $('token-input').value.trim();
    if (!candidate) {
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, candidate);
    $('login-submit').disabled = true;
    try {
      const response = await api('status');
      if (!response.ok) {
        throw new Error(await errorText(response));
      }
      showConsole(await response.json());
    } catch (e) {
      if (e instanceof Unauthorized) {
        askForToken('That token was refused.');
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
        $('login-error').textContent = 'Cannot reach the control plane: ' + e.message;
      }
    } finally {
      $('login-submit').disabled = false;
    }
  }

  // ---- routes (the stack's gateway: one URL space for the whole tree) ----
  async function loadRoutes() {
    const body = $('routes');
    try {
      const response = await api('routes');
      if (!response.ok) {
        $('routes-pane').hidden = true;
        return;
      }
      const routes = await response.json();
      const rows = routes.map((route) => {
        const row = el('tr');
        const target = route.childStack ? 'stack ' + route.service : route.service + ':' + route.port;
        row.append(el('td', 'route-path', route.path), el('td', '', target),
          el('td', '', route.rewrite === undefined || route.rewrite === null ? '' : route.rewrite),
          el('td', '', String(route.protocol || '').toLowerCase()), el('td', '', String(route.origin || '').toLowerCase()));
        return row;
      });
      if (!rows.length) {
        const empty = el('tr');
        const cell = el('td', 'muted', 'no routes');
        cell.colSpan = 5;
        empty.append(cell);
        rows.push(empty);
      }
      body.replaceChildren(...rows);
      $('routes-pane').hidden = false;
    } catch (e) {
      if (e instanceof Unauthorized) {
        throw e;
      }
      $('routes-pane').hidden = true;
    }
  }

  function showConsole(initialStatus) {
    $('login').hidden = true;
    $('console').hidden = false;
    $('forget-token').hidden = false;
    if (initialStatus) {
      lastStatus = initialStatus;
      renderTree(initialStatus);
    }
    connectStatus();
    loadRoutes().catch(() => {});
    if (options.log && !logService) {
      openLog(options.log);
    }
  }

  function wire() {
    if (options.embed) {
      document.documentElement.classList.add('embed');
    }
    $('login-form').addEventListener('submit', signIn);
    $('forget-token').addEventListener('click', () => askForToken(''));
    for (const tab of document.querySelectorAll('.tab')) {
      tab.addEventListener('click', () => selectChannel(tab.dataset.stream));
    }
    $('update-open').addEventListener('click', openUpdate);
    $('update-cancel').addEventListener('click', closeUpdate);
    $('update-apply').addEventListener('click', applyUpdate);
    $('definition-input').addEventListener('input', showDiff);
    $('definition-file').addEventListener('change', async () => {
      const file = $('definition-file').files[0];
      if (file) {
        $('definition-input').value = await file.text();
        showDiff();
      }
    });
    $('shutdown-open').addEventListener('click', () => {
      $('shutdown-error').textContent = '';
      $('shutdown-dialog').showModal();
    });
    $('shutdown-cancel').addEventListener('click', () => $('shutdown-dialog').close());
    $('shutdown-confirm').addEventListener('click', confirmShutdown);
    if (token()) {
      showConsole(null);
    } else {
      askForToken('');
    }
  }

  wire();
})();
