'use strict';
// A protocol double of the original ailtire swarm sidecar (Node.js), written from the facts page
// shared/original-sidecar-protocol.md, not from the original's code. It speaks what a tree of sidecars needs:
// registration, the status document, logs, shutdown, the route list; it does not proxy, serve a web page or
// socket.io (see README.md beside this file). Only Node's built-in modules: the original shells out to the
// docker CLI, and so does this.
const http = require('http');
const { execFile } = require('child_process');
const { URL } = require('url');

// The original's variables and defaults.
const env = process.env;
const HOSTNAME = env.HOSTNAME || '';
const STACK = env.AILTIRE_STACKNAME || 'ailtire';
const PARENT_HOST = env.AILTIRE_PARENTHOST || 'admin';
const PARENT_PORT = env.AILTIRE_PARENTPORT || '3000';
const PORT = Number(env.AILTIRE_STACKADMINPORT || 3000);
const SERVICE = env.AILTIRE_SERVICENAME || 'service';
// The original then sets its parent host to its own host in its own environment: that environment is the
// interpolation context of its `docker stack deploy`, so its children's ${AILTIRE_PARENTHOST} is this sidecar.
env.AILTIRE_PARENTHOST = HOSTNAME;

const STATUS_PERIOD_MS = 10000;
const REGISTER_RETRY_MS = 30000;
// One task row per line, tab-separated, the columns of the CLI's table (ID NAME IMAGE NODE DESIRED STATE
// CURRENT STATE ERROR PORTS): the raw row is the entry's `line`.
const TASK_FORMAT = '{{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}';

const children = {}; // registered child stacks: name -> {name, url, service}, as the register query gave them
const interfaces = {}; // the original's ROUTES; this double adds none (no proxy)
let status = { service: STACK, interfaces, services: {} };
let stopping = false;

function log(...words) {
  console.log(`[original-double] ${words.join(' ')}`);
}

/** Runs the docker CLI with this process's environment; resolves {code, stdout, stderr}, never rejects. */
function docker(args) {
  return new Promise((resolve) => {
    execFile('docker', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** GET http://HOST:PORT/path (the original's urls have no scheme); resolves the body, rejects on error or non-2xx. */
function get(hostAndPort, path) {
  return new Promise((resolve, reject) => {
    const request = http.get(`http://${hostAndPort}${path}`, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => {
        if (response.statusCode >= 200 && response.statusCode < 300) {
          resolve(body);
        } else {
          reject(new Error(`HTTP ${response.statusCode} from ${hostAndPort}${path}`));
        }
      });
      response.on('error', reject);
    });
    // As the original: no timeout on a child's answer.
    request.on('error', reject);
  });
}

/** The task rows of `docker stack ps` as the original's entries, keyed by task name with `.` replaced by `-`. */
function taskEntries(output) {
  const services = {};
  for (const line of output.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const [, taskName, image, node, desired, current] = line.split('\t');
    // Older tasks of a slot come after its current one (the CLI may mark them ` \_ `): the first row of a key wins.
    const name = taskName.replace(/^\s*\\_\s*/, '');
    const key = name.replace(/\./g, '-');
    if (services[key]) {
      continue;
    }
    services[key] = {
      name,
      shortName: name.replace(new RegExp(`^${escapeRegExp(STACK)}_`), '').replace(/\.[^.]*$/, ''),
      image,
      node,
      desired,
      status: (current || '').split(' ')[0], // first word of CURRENT STATE, the CLI's capitalisation
      line,
    };
  }
  return services;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every 10 s: the own stack's tasks (deploying the stack when there is none), then each child, one after another. */
async function refresh() {
  const ps = await docker(['stack', 'ps', STACK, '--no-trunc', '--format', TASK_FORMAT]);
  let services = {};
  if (ps.code !== 0) {
    log(`docker stack ps ${STACK} failed (${ps.stderr.trim()}): deploying`);
    // The facts page's command, plus --resolve-image never: the images here are local, and the CLI would
    // otherwise ask a registry for their digests.
    const deploy = await docker(['stack', 'deploy', '--resolve-image', 'never', '-c', 'docker-compose.yml', STACK]);
    log(`docker stack deploy ${STACK}: exit ${deploy.code}`, deploy.stdout.trim(), deploy.stderr.trim());
  } else {
    services = taskEntries(ps.stdout);
  }
  for (const child of Object.values(children)) {
    // A child's entry is merged into the task row of the same key when the names line up.
    const entry = services[child.name] || {};
    entry.type = 'stack';
    entry.name = child.name;
    try {
      entry.services = JSON.parse(await get(child.url, '/_admin/status'));
    } catch (error) {
      entry.status = 'Network Error';
      entry.line = { message: error.message, code: error.code, syscall: error.syscall, address: error.address };
    }
    services[child.name] = entry;
  }
  status = { service: STACK, interfaces, services };
}

function refreshForever() {
  if (stopping) {
    return;
  }
  refresh()
    .catch((error) => log('status refresh failed:', error.stack || error))
    .finally(() => setTimeout(refreshForever, STATUS_PERIOD_MS));
}

/** Registers with the parent once, and again every 30 s only while that fails. The `/test` suffix is the original's. */
function register() {
  const query = `name=${encodeURIComponent(STACK)}&url=${HOSTNAME}:${PORT}&service=${SERVICE}/test`;
  get(`${PARENT_HOST}:${PARENT_PORT}`, `/_admin/register?${query}`)
    .then(() => log(`registered with ${PARENT_HOST}:${PARENT_PORT} as ${STACK}`))
    .catch((error) => {
      log(`register with ${PARENT_HOST}:${PARENT_PORT} failed (${error.message}); again in 30 s`);
      setTimeout(register, REGISTER_RETRY_MS);
    });
}

/** `docker service logs` of a task key's service: stdout and stderr apart, each line without its `...|` prefix. */
async function serviceLogs(key) {
  const result = await docker(['service', 'logs', key.replace(/-[0-9]+$/, '')]);
  const lines = (text) => text.split('\n').filter((line) => line !== '').map((line) => line.slice(line.lastIndexOf('|') + 1));
  return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
}

function readBody(request) {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => resolve(body));
  });
}

function answer(response, code, body, type, then) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(code, { 'Content-Type': type || 'application/json; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
  response.end(text, then);
}

async function handle(request, response) {
  const url = new URL(request.url, 'http://double');
  const query = url.searchParams;
  // The original's admin routes are GET only (Express routes of one verb); anything else is not found.
  if (request.method !== 'GET') {
    return answer(response, 404, `Cannot ${request.method} ${url.pathname}`, 'text/plain');
  }
  switch (url.pathname) {
    case '/_admin/register': {
      const name = query.get('name');
      if (name && name !== STACK) {
        children[name] = { name, url: query.get('url'), service: query.get('service') };
        log(`child ${name} registered at ${query.get('url')} (service ${query.get('service')})`);
      }
      return answer(response, 200, { status: 'ok' });
    }
    case '/_admin/status':
      return answer(response, 200, status);
    case '/_admin/log':
      return answer(response, 200, await serviceLogs(query.get('name') || ''));
    case '/_admin/shutdown': {
      stopping = true;
      const rm = await docker(['stack', 'rm', STACK]);
      log(`shutdown: docker stack rm ${STACK}: exit ${rm.code}`);
      return answer(response, 200, rm.stdout + rm.stderr, 'text/plain', () => process.exit(0));
    }
    case '/_admin/update': {
      // A stub in the original too: it logs what it was sent and changes nothing.
      const body = await readBody(request);
      let sent = {};
      try {
        sent = JSON.parse(body || '{}');
      } catch (notJson) {
        sent = {};
      }
      log('update: parameters', JSON.stringify(sent.parameters), 'environment', JSON.stringify(sent.environment),
        'composefile', JSON.stringify(sent.composefile));
      return answer(response, 200, 'Done', 'text/plain');
    }
    case '/_admin/route/list':
      return answer(response, 200, interfaces);
    case '/_admin/route/show':
      return answer(response, 200, interfaces[query.get('id')] || {});
    default:
      return answer(response, 404, `Cannot GET ${url.pathname}`, 'text/plain');
  }
}

// SIGINT is how an original parent stops a child (stop_signal: SIGINT): remove the own stack, exit 5 s later.
process.on('SIGINT', () => {
  log(`SIGINT: docker stack rm ${STACK}, exiting in 5 s`);
  stopping = true; // no redeploy of the stack being removed
  docker(['stack', 'rm', STACK]).then((rm) => log(`docker stack rm ${STACK}: exit ${rm.code}`, rm.stdout.trim()));
  setTimeout(() => process.exit(0), 5000);
});
// SIGTERM: the original does nothing special and dies without cleaning up. As PID 1 a signal's default action
// does not apply, so the double exits explicitly.
process.on('SIGTERM', () => {
  log('SIGTERM: exiting without removing the stack');
  process.exit(143);
});

http.createServer((request, response) => {
  handle(request, response).catch((error) => answer(response, 500, String(error.stack || error), 'text/plain'));
}).listen(PORT, () => {
  log(`stack ${STACK} on port ${PORT}, host ${HOSTNAME}, parent ${PARENT_HOST}:${PARENT_PORT}`);
  register();
  refreshForever();
});
