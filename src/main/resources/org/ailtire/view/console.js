// The ailtire live console. Hand-written, no framework, no build step.
// Rules kept throughout: data from the API is only ever inserted with textContent (never parsed as HTML), the token
// travels only in the Authorization header (never in a URL), and every URL is relative so the page works under
// any path prefix and inside an iframe.
'use strict';

(function () {
  const API = '../api/v1/';
  const TOKEN_KEY = 'ailtire-token:' + location.pathname;
  const MAX_LOG_LINES = 5000;
  // Who the history and the events list name for this console's actions (the server adds the address).
  const ACTOR = 'web console';
  const STATE_CLASSES = {
    RUNNING: 'ok', HEALTHY: 'ok', COMPLETED: 'ok',
    STARTING: 'busy', UPDATING: 'busy', STOPPING: 'busy', DEGRADED: 'busy', DRIFTED: 'busy',
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
    request.headers = Object.assign({'Authorization': 'Bearer ' + token(), 'X-Ailtire-Actor': ACTOR},
        request.headers || {});
    const response = await fetch(API + path, request);
    if (response.status === 401) {
      throw new Unauthorized('the token was refused');
    }
    return response;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      const details = Array.isArray(body.details) && body.details.length
          ? ': ' + body.details.map(detailText).join('; ') : '';
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
    const focused = document.activeElement;
    const rows = [renderNode(root, '', 0)];
    list.replaceChildren(...rows);
    // A scale control being typed into is kept across renders; give it its focus back.
    if (focused && focused !== document.activeElement && list.contains(focused)) {
      focused.focus();
    }
    forgetControlsOfServicesGone(root);
    renderCluster(root);
    renderPolicy(root.policy);
  }

  // What the stack's definitions may do beyond ordinary services; the keys are those of a policy file.
  function renderPolicy(policy) {
    $('policy-pane').hidden = !policy;
    if (!policy) {
      return;
    }
    const lines = [];
    (policy.allow_bind || []).forEach((path) => lines.push('bind ' + path));
    if (policy.allow_docker_socket) {
      lines.push('docker socket');
    }
    if (policy.allow_host_network) {
      lines.push('host network');
    }
    (policy.allow_cap || []).forEach((cap) => lines.push('cap_add ' + cap));
    (policy.allow_secret || []).forEach((name) => lines.push('external secret ' + name));
    $('policy').replaceChildren(...(lines.length ? lines : ['deny by default']).map((line) => el('li', '', line)));
  }

  // The swarm's nodes, each with the tasks of the whole tree on it (`backend/db/store ×2`), like the original's Nodes
  // tree; a node that runs no tasks (down, drained, paused) is marked. A node the services' placement names that the
  // swarm does not list (any more) follows, its state unknown.
  function renderCluster(root) {
    const placed = tasksByNode(root);
    const nodes = (root.cluster || []).slice();
    const listed = new Set(nodes.map((node) => node.name));
    for (const name of Array.from(placed.keys()).filter((name) => !listed.has(name)).sort()) {
      nodes.push({name, role: '—', state: 'unknown', availability: '—'});
    }
    $('nodes-pane').hidden = nodes.length === 0;
    const rows = [];
    for (const node of nodes) {
      const row = el('tr', node.state === 'ready' && node.availability === 'active' ? 'node-ok' : 'node-off');
      row.dataset.node = node.name;
      for (const value of [node.name, node.role, node.state, node.availability]) {
        row.append(el('td', '', value));
      }
      rows.push(row, nodeTasksRow(node.name, placed.get(node.name) || []));
    }
    $('cluster-nodes').replaceChildren(...rows);
  }

  // The services of the tree with running tasks, by node: [{path, tasks, state}] in the tree's order.
  function tasksByNode(root) {
    const placed = new Map();
    (function walk(stack, prefix) {
      for (const child of stack.children || []) {
        const path = prefix + child.name;
        if (child.type === 'STACK') {
          walk(child, path + '/');
          continue;
        }
        for (const placement of child.placement || []) {
          if (!placed.has(placement.node)) {
            placed.set(placement.node, []);
          }
          placed.get(placement.node).push({path, tasks: placement.tasks, state: child.state});
        }
      }
    })(root, '');
    return placed;
  }

  // The row under a node's row: its tasks, each opening the service's log, or "no tasks".
  function nodeTasksRow(nodeName, tasks) {
    const row = el('tr', 'node-tasks');
    row.dataset.tasksOf = nodeName;
    const cell = el('td');
    cell.colSpan = 4;
    const list = el('ul', 'node-task-list');
    for (const task of tasks) {
      const item = el('li', 'node-task');
      item.dataset.path = task.path;
      item.dataset.tasks = String(task.tasks);
      const name = el('button', 'name link', task.path + ' ×' + task.tasks);
      name.type = 'button';
      name.title = 'Show the logs of ' + task.path;
      name.addEventListener('click', () => openLog(task.path));
      item.append(el('span', 'dot tone-' + (STATE_CLASSES[task.state] || 'off')), name);
      list.append(item);
    }
    if (!tasks.length) {
      list.append(el('li', 'muted', 'no tasks'));
    }
    cell.append(list);
    row.append(cell);
    return row;
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
    if (!isStack && depth === 1) {
      row.append(serviceControlsFor(path, status));
    }
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
    for (const tab of document.querySelectorAll('.tab[data-stream]')) {
      tab.setAttribute('aria-selected', String(tab.dataset.stream === channel));
    }
    followLog();
  }

  // ---- unified diffs (as the server sends them: update preview, history) ----
  // Renders `diff` into `output` colour-coded and returns how many lines it adds and removes.
  function renderDiff(output, diff) {
    output.replaceChildren();
    let added = 0;
    let removed = 0;
    for (const line of splitLines(diff)) {
      let cls = 'diff-same';
      if (line.startsWith('+++') || line.startsWith('---')) {
        cls = 'diff-head';
      } else if (line.startsWith('@@')) {
        cls = 'diff-gap';
      } else if (line.startsWith('+')) {
        cls = 'diff-add';
        added++;
      } else if (line.startsWith('-')) {
        cls = 'diff-del';
        removed++;
      }
      output.append(el('span', cls, line + '\n'));
    }
    return {added, removed};
  }

  function diffSummary(counts) {
    return counts.added || counts.removed ? '(+' + counts.added + ' −' + counts.removed + ')' : '(no changes)';
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

  function formatTime(at) {
    return String(at || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  // ---- updates and rollbacks: one way to start them and follow their progress ----
  // POSTs `body` (if any) to `path` (update, rollback, scale, redeploy), then follows the update's events into the `progress` list.
  // Returns the stream's controller (abort it to stop following); onEnd(state) runs once the update ended.
  // Throws when the request is refused (the API's error text) or the token is refused.
  async function startAndFollow(path, body, label, progress, errorBox, onEnd) {
    const response = await api(path, body === undefined ? {method: 'POST'} : {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)
    });
    if (response.status !== 202) {
      throw new Error(await errorText(response));
    }
    const started = await response.json();
    const startLine = () => el('li', 'phase-start', label + ' ' + started.id + ' started');
    progress.replaceChildren(startLine());
    let finished = false;
    return followEvents('updates/' + encodeURIComponent(started.id) + '/events', {
      open: () => {
        // A reconnect replays the update's events from the start.
        progress.replaceChildren(startLine());
      },
      event: (name, data) => {
        const event = JSON.parse(data);
        if (name === 'progress') {
          const text = [event.phase, event.subject, event.message].filter((t) => t).join(' · ');
          progress.append(el('li', 'phase-' + event.phase, text));
        } else if (name === 'end') {
          finished = true;
          progress.append(el('li', 'outcome outcome-' + String(event.state).toLowerCase(),
              label + ' ' + String(event.state).toLowerCase()));
          onEnd(event.state);
          if (event.state === 'SUCCEEDED') {
            loadRoutes().catch(() => {});
          }
        }
      },
      ended: () => finished,
      error: (e) => {
        errorBox.textContent = 'Following the ' + label + ' failed: ' + e.message;
      },
      retrying: () => {
      }
    });
  }

  // ---- scale and redeploy: controls on the rows of the stack's own services (not its child stacks') ----
  // The tree is rebuilt on every status, so each service's controls are made once and kept: a number being typed
  // survives a status change. One action runs at a time; its progress shows under the tree.
  const MAX_REPLICAS = 1000;
  const serviceControls = new Map();
  let serviceActionStream = null;
  let serviceActionRunning = false;

  function serviceControlsFor(name, status) {
    let controls = serviceControls.get(name);
    if (!controls) {
      controls = el('span', 'service-actions');
      const input = el('input', 'scale-input');
      input.type = 'number';
      input.min = '0';
      input.max = String(MAX_REPLICAS);
      input.step = '1';
      const running = (status.placement || []).reduce((sum, placed) => sum + placed.tasks, 0);
      input.value = String(running || 1);
      input.setAttribute('aria-label', 'Replicas of ' + name);
      const scale = el('button', 'scale-button', 'Scale');
      scale.type = 'button';
      scale.title = 'Scale ' + name + ' to this many replicas';
      scale.addEventListener('click', () => scaleService(name, input.value));
      const redeploy = el('button', 'redeploy-button', 'Redeploy');
      redeploy.type = 'button';
      redeploy.title = 'Pull the image of ' + name + ' again and replace its tasks';
      redeploy.addEventListener('click', () => redeployService(name));
      controls.append(input, scale, redeploy);
      serviceControls.set(name, controls);
    }
    for (const button of controls.querySelectorAll('button')) {
      button.disabled = serviceActionRunning;
    }
    return controls;
  }

  function forgetControlsOfServicesGone(root) {
    const own = new Set((root.children || []).filter((child) => child.type !== 'STACK').map((child) => child.name));
    for (const name of Array.from(serviceControls.keys())) {
      if (!own.has(name)) {
        serviceControls.delete(name);
      }
    }
  }

  function setServiceActionRunning(running) {
    serviceActionRunning = running;
    for (const button of document.querySelectorAll('.service-actions button')) {
      button.disabled = running;
    }
  }

  function scaleService(name, value) {
    const replicas = Number(value);
    if (String(value).trim() === '' || !Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
      showServiceAction('scale ' + name);
      $('service-error').textContent = 'replicas: expected a whole number from 0 to ' + MAX_REPLICAS;
      return;
    }
    runServiceAction('services/' + encodeURIComponent(name) + '/scale', {replicas},
        'scale ' + name + ' to ' + replicas);
  }

  function redeployService(name) {
    runServiceAction('services/' + encodeURIComponent(name) + '/redeploy', undefined, 'redeploy ' + name);
  }

  function showServiceAction(label) {
    if (serviceActionStream) {
      serviceActionStream.abort();
      serviceActionStream = null;
    }
    $('service-action-pane').hidden = false;
    $('service-action-title').textContent = label;
    $('service-progress').replaceChildren();
    $('service-error').textContent = '';
  }

  async function runServiceAction(path, body, label) {
    showServiceAction(label);
    setServiceActionRunning(true);
    try {
      serviceActionStream = await startAndFollow(path, body, label, $('service-progress'), $('service-error'),
          () => setServiceActionRunning(false));
    } catch (e) {
      setServiceActionRunning(false);
      handleFailure(e, 'service-error', label + ' was refused: ');
    }
  }

  // ---- update dialog ----
  const PREVIEW_DELAY_MS = 400;
  let updateStream = null;
  let previewTimer = null;
  let previewRequest = null;

  async function openUpdate() {
    $('update-error').textContent = '';
    $('update-progress').replaceChildren();
    $('update-apply').disabled = false;
    $('update-dialog').showModal();
    try {
      const response = await api('definition');
      let applied = '';
      if (response.ok) {
        applied = (await response.json()).definition;
      } else if (response.status !== 404) {
        throw new Error(await errorText(response));
      }
      if (!$('definition-input').value) {
        $('definition-input').value = applied;
      }
    } catch (e) {
      handleFailure(e, 'update-error', 'Reading the applied definition failed: ');
    }
    schedulePreview(0);
  }

  // The update's body from the form, or the problems that keep it from being sent.
  function readUpdateForm() {
    const definition = $('definition-input').value;
    const parsed = parseEnvironment($('environment-input').value);
    if (!definition.trim()) {
      parsed.problems.unshift('the definition is empty');
    }
    const parameters = splitLines($('parameters-input').value).map((p) => p.trim()).filter((p) => p);
    return {body: {parameters, environment: parsed.environment, definition}, problems: parsed.problems};
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

  // Asks the server what Apply would do once the form has been left alone for a moment.
  function schedulePreview(delay) {
    clearTimeout(previewTimer);
    $('preview-state').textContent = '(checking…)';
    previewTimer = setTimeout(runPreview, delay === undefined ? PREVIEW_DELAY_MS : delay);
  }

  async function runPreview() {
    if (previewRequest) {
      previewRequest.abort();
    }
    const controller = new AbortController();
    previewRequest = controller;
    const form = readUpdateForm();
    if (form.problems.length) {
      showPreview(null, form.problems);
      return;
    }
    try {
      const response = await api('update/preview', {
        method: 'POST',
        signal: controller.signal,
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(form.body)
      });
      if (response.status === 400) {
        const refusal = await response.json().catch(() => ({}));
        const details = Array.isArray(refusal.details) ? refusal.details.map(detailText) : [];
        if (controller === previewRequest) {
          showPreview(null, details.length ? details : [refusal.error || 'the definition was refused']);
        }
        return;
      }
      if (!response.ok) {
        throw new Error(await errorText(response));
      }
      const preview = await response.json();
      if (controller === previewRequest) {
        showPreview(preview, []);
      }
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
      if (e instanceof Unauthorized) {
        handleFailure(e, 'preview-problems', '');
      } else {
        showPreview(null, ['The preview failed: ' + e.message]);
        $('preview-state').textContent = '';
      }
    }
  }

  const CHANGE_KINDS = [
    {key: 'create', label: 'created'},
    {key: 'update', label: 'updated (tasks replaced)'},
    {key: 'remove', label: 'removed'},
    {key: 'unchanged', label: 'left alone'}
  ];

  // Shows the server's preview (which services change, the diff), or, with no preview, why there is none.
  function showPreview(preview, problems) {
    const problemList = $('preview-problems');
    problemList.replaceChildren(...problems.map((p) => el('li', '', p)));
    const services = $('preview-services');
    services.replaceChildren();
    if (!preview) {
      $('preview-state').textContent = problems.length ? '(Apply would be refused)' : '';
      $('diff-output').replaceChildren();
      $('diff-summary').textContent = '';
      return;
    }
    $('preview-state').textContent = preview.baseVersion
        ? '(against version ' + preview.baseVersion + ', applied now)' : '(nothing applied yet)';
    for (const kind of CHANGE_KINDS) {
      const names = (preview.services && preview.services[kind.key]) || [];
      if (!names.length) {
        continue;
      }
      const item = el('li', 'change change-' + kind.key);
      item.dataset.kind = kind.key;
      item.append(el('span', 'change-label', kind.label + ':'));
      for (const name of names) {
        item.append(el('span', 'service-name', name));
      }
      services.append(item);
    }
    if (!services.childNodes.length) {
      services.append(el('li', 'muted', 'no services'));
    }
    $('diff-summary').textContent = diffSummary(renderDiff($('diff-output'), preview.diff));
  }

  // A problem from the API's details: a text, or a definition problem {path, message}.
  function detailText(detail) {
    if (detail && typeof detail === 'object') {
      return (detail.path ? detail.path + ': ' : '') + (detail.message || JSON.stringify(detail));
    }
    return String(detail);
  }

  async function applyUpdate() {
    const errorBox = $('update-error');
    errorBox.textContent = '';
    const form = readUpdateForm();
    if (form.problems.length) {
      errorBox.textContent = form.problems.join('; ');
      return;
    }
    $('update-apply').disabled = true;
    try {
      updateStream = await startAndFollow('update', form.body, 'update', $('update-progress'), errorBox, () => {
        $('update-apply').disabled = false;
        schedulePreview(0);
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
    clearTimeout(previewTimer);
    if (previewRequest) {
      previewRequest.abort();
    }
    $('update-dialog').close();
  }

  // ---- history dialog: versions, their diffs, rollback, events ----
  let kept = {current: 0, versions: []};  // the last GET history answer
  let selectedVersion = 0;
  let versionView = 'diff';
  let rollbackStream = null;
  let rollbackRunning = false;

  async function openHistory() {
    $('history-error').textContent = '';
    $('rollback-progress').replaceChildren();
    hideRollbackConfirmation();
    $('history-dialog').showModal();
    await refreshHistory(true);
  }

  // Reloads the versions and the events; selects the current version, or keeps the selection while it is kept.
  async function refreshHistory(selectCurrent) {
    try {
      await Promise.all([loadVersions(selectCurrent), loadEvents()]);
    } catch (e) {
      handleFailure(e, 'history-error', 'Reading the history failed: ');
    }
  }

  async function loadVersions(selectCurrent) {
    const response = await api('history');
    if (!response.ok) {
      throw new Error(await errorText(response));
    }
    kept = await response.json();
    const known = (v) => kept.versions.some((entry) => entry.version === v);
    if (selectCurrent || !known(selectedVersion)) {
      selectedVersion = kept.current || (kept.versions.length
          ? kept.versions[kept.versions.length - 1].version : 0);
    }
    $('history-summary').textContent = kept.versions.length
        ? '(' + kept.versions.length + ' versions kept, '
          + (kept.current ? 'version ' + kept.current + ' applied now)' : 'none applied now)')
        : '(no versions kept yet)';
    renderVersions();
    await showVersion();
  }

  function renderVersions() {
    const rows = kept.versions.slice().reverse().map((entry) => {
      const item = el('li', 'version outcome-' + String(entry.outcome).toLowerCase());
      item.dataset.version = String(entry.version);
      item.dataset.outcome = entry.outcome;
      const isCurrent = entry.version === kept.current;
      if (isCurrent) {
        item.dataset.current = 'true';
      }
      const select = el('button', 'version-select');
      select.type = 'button';
      select.setAttribute('aria-pressed', String(entry.version === selectedVersion));
      select.append(el('span', 'version-number', 'version ' + entry.version));
      if (isCurrent) {
        select.append(el('span', 'badge tone-ok current-mark', 'current'));
      }
      select.append(el('span', 'badge ' + (entry.outcome === 'APPLIED' ? 'tone-ok' : 'tone-bad'),
          String(entry.outcome).toLowerCase()));
      select.append(el('span', 'version-meta', formatTime(entry.at) + ' · ' + entry.actor));
      if (entry.outcome === 'FAILED' && entry.message) {
        select.append(el('span', 'version-message', entry.message));
      }
      select.addEventListener('click', () => {
        selectedVersion = entry.version;
        hideRollbackConfirmation();
        renderVersions();
        showVersion().catch((e) => handleFailure(e, 'history-error', 'Reading version ' + entry.version + ' failed: '));
      });
      item.append(select);
      return item;
    });
    if (!rows.length) {
      rows.push(el('li', 'muted', 'no versions kept yet'));
    }
    $('history-versions').replaceChildren(...rows);
    updateRollbackButton();
  }

  function updateRollbackButton() {
    const button = $('rollback-open');
    const possible = selectedVersion > 0 && selectedVersion !== kept.current;
    button.disabled = !possible || rollbackRunning;
    button.textContent = possible ? 'Roll back to version ' + selectedVersion + '…' : 'Roll back…';
    button.title = selectedVersion && selectedVersion === kept.current ? 'this version is applied now' : '';
  }

  // Shows the selected version against the current one (what a rollback would change), or its text.
  async function showVersion() {
    const output = $('version-output');
    const title = $('version-title');
    const version = selectedVersion;
    // Only another version than the applied one has a diff to show.
    const comparable = Boolean(kept.current && version && version !== kept.current);
    const compare = comparable && versionView === 'diff';
    for (const tab of document.querySelectorAll('.tab[data-view]')) {
      tab.setAttribute('aria-selected', String(tab.dataset.view === (compare ? 'diff' : 'text')));
      tab.disabled = tab.dataset.view === 'diff' && !comparable;
    }
    if (!version) {
      title.textContent = 'Choose a version';
      output.replaceChildren();
      return;
    }
    const response = await api(compare
        ? 'history/' + version + '/diff?against=' + kept.current
        : 'history/' + version);
    if (!response.ok) {
      throw new Error(await errorText(response));
    }
    const body = await response.json();
    if (version !== selectedVersion) {
      return;
    }
    output.dataset.view = compare ? 'diff' : 'text';
    if (compare) {
      const counts = renderDiff(output, body.diff);
      title.textContent = 'Version ' + version + ' against version ' + kept.current + ' (current) '
          + diffSummary(counts);
      if (!body.diff) {
        output.append(el('span', 'diff-same', 'the two versions have the same text\n'));
      }
    } else {
      output.replaceChildren(document.createTextNode(body.definition));
      title.textContent = 'Version ' + version + (version === kept.current ? ' (current)' : '') + ': its text';
    }
  }

  function selectVersionView(view) {
    versionView = view;
    showVersion().catch((e) => handleFailure(e, 'history-error', 'Reading version ' + selectedVersion + ' failed: '));
  }

  function askRollbackConfirmation() {
    const entry = kept.versions.find((v) => v.version === selectedVersion);
    if (!entry) {
      return;
    }
    const failed = entry.outcome === 'FAILED' ? ' It failed when it was applied: ' + entry.message : '';
    $('rollback-question').textContent = 'Roll back to version ' + entry.version + '? Its definition is applied '
        + 'again with the variables it was applied with; the services that differ from it are updated.' + failed;
    $('rollback-confirm').textContent = 'Roll back to version ' + entry.version;
    $('rollback-confirm').dataset.version = String(entry.version);
    $('rollback-confirm-box').hidden = false;
    $('rollback-open').hidden = true;
    $('rollback-cancel').focus();
  }

  function hideRollbackConfirmation() {
    $('rollback-confirm-box').hidden = true;
    $('rollback-open').hidden = false;
  }

  async function confirmRollback() {
    const version = Number($('rollback-confirm').dataset.version);
    const errorBox = $('history-error');
    errorBox.textContent = '';
    hideRollbackConfirmation();
    rollbackRunning = true;
    updateRollbackButton();
    const ended = () => {
      rollbackRunning = false;
      updateRollbackButton();
    };
    try {
      rollbackStream = await startAndFollow('rollback', {version}, 'rollback to version ' + version,
          $('rollback-progress'), errorBox, () => {
            ended();
            refreshHistory(true);
          });
    } catch (e) {
      ended();
      handleFailure(e, 'history-error', 'The rollback was refused: ');
    }
  }

  async function loadEvents() {
    const response = await api('events');
    if (!response.ok) {
      throw new Error(await errorText(response));
    }
    const events = (await response.json()).events || [];
    const rows = events.slice().reverse().map((event) => {
      const row = el('tr');
      row.dataset.sequence = String(event.sequence);
      row.dataset.action = event.action;
      row.dataset.result = event.result;
      const result = el('td');
      result.append(el('span', 'badge ' + eventTone(event.result), event.result));
      row.append(el('td', 'event-at', formatTime(event.at)), el('td', 'event-actor', event.actor),
          el('td', 'event-action', event.action), result, el('td', 'event-detail', event.detail));
      return row;
    });
    if (!rows.length) {
      const empty = el('tr');
      const cell = el('td', 'muted', 'no events yet');
      cell.colSpan = 5;
      empty.append(cell);
      rows.push(empty);
    }
    $('events').replaceChildren(...rows);
  }

  function eventTone(result) {
    if (result === 'succeeded') {
      return 'tone-ok';
    }
    if (result === 'failed') {
      return 'tone-bad';
    }
    return result === 'started' || result === 'requested' ? 'tone-busy' : 'tone-off';
  }

  function closeHistory() {
    if (rollbackStream) {
      rollbackStream.abort();
      rollbackStream = null;
    }
    rollbackRunning = false;
    $('history-dialog').close();
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
    for (const tab of document.querySelectorAll('.tab[data-stream]')) {
      tab.addEventListener('click', () => selectChannel(tab.dataset.stream));
    }
    $('update-open').addEventListener('click', openUpdate);
    $('update-cancel').addEventListener('click', closeUpdate);
    $('update-dialog').addEventListener('cancel', closeUpdate);
    $('update-apply').addEventListener('click', applyUpdate);
    for (const input of ['definition-input', 'environment-input', 'parameters-input']) {
      $(input).addEventListener('input', () => schedulePreview());
    }
    $('definition-file').addEventListener('change', async () => {
      const file = $('definition-file').files[0];
      if (file) {
        $('definition-input').value = await file.text();
        schedulePreview(0);
      }
    });
    $('history-open').addEventListener('click', openHistory);
    $('history-close').addEventListener('click', closeHistory);
    $('history-dialog').addEventListener('cancel', closeHistory);
    $('history-refresh').addEventListener('click', () => refreshHistory(false));
    for (const tab of document.querySelectorAll('.tab[data-view]')) {
      tab.addEventListener('click', () => selectVersionView(tab.dataset.view));
    }
    $('rollback-open').addEventListener('click', askRollbackConfirmation);
    $('rollback-cancel').addEventListener('click', hideRollbackConfirmation);
    $('rollback-confirm').addEventListener('click', confirmRollback);
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
