// @ts-check
// A minimal fetch for the CLI on node:http/node:https: global fetch loads
// undici on first use (~20–40 ms here), which `keyhold run` does not need.
// Implements only what client/index.mjs reads (status, headers.get, text).
import http from 'node:http';

/** @typedef {import('../client/index.d.mts').FetchLike} FetchLike */
/** @typedef {import('../client/index.d.mts').ResponseLike} ResponseLike */

/** @type {Map<string, http.Agent>} */
const agents = new Map();

/**
 * node:https (and TLS) only for https URLs. Synchronous, so the request is
 * sent before the caller goes on (keyhold run loads child_process meanwhile).
 * @param {string} protocol
 */
function transport(protocol) {
  if (protocol === 'http:') return http;
  return /** @type {typeof http} */ (/** @type {unknown} */ (process.getBuiltinModule('node:https')));
}

/** @type {FetchLike} */
export async function nodeFetch(url, init) {
  const target = new URL(url);
  const mod = transport(target.protocol);
  let agent = agents.get(target.protocol);
  if (!agent) {
    agent = new mod.Agent({ keepAlive: true, maxSockets: 4 });
    agents.set(target.protocol, agent);
  }
  const headers = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const req = mod.request(target, { method: init.method, headers, agent, signal: init.signal }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: {
            get(name) {
              const value = res.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
            },
          },
          text: async () => body,
        });
      });
    });
    req.on('error', (error) => {
      // An aborted signal surfaces as AbortError; report it as the fetch spec does.
      if (error.name === 'AbortError' && init.signal?.aborted) reject(init.signal.reason ?? error);
      else reject(error);
    });
    req.end(init.body);
  });
}

/**
 * Closes connections still busy (a request given up on), so they cannot hold
 * the process open. Idle kept-alive ones are left alone: the agent unrefs
 * them, and destroying a socket costs the start-up of process.stderr (Node's
 * net module compares every destroyed socket with it).
 */
export function closeConnections() {
  for (const agent of agents.values()) {
    for (const sockets of Object.values(agent.sockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}
