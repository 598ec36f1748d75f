// A Fedify peer playing a Mastodon-like server against a real entraide node.
//
//   node peer.mjs <node base URL> <association name>
//
// Driven by federation-tests/interop.rs. It serves one Person actor and an inbox on
// http://localhost:<random port>, then:
//   1. resolves @<association>@<node host> by WebFinger and reads the Group with Fedify;
//   2. sends it a signed Follow and waits for the Accept, whose HTTP signature it verifies;
//   3. waits for a Create{Event} (the test creates a mission once it has seen step 2), verifies
//      its HTTP signature and parses it with Fedify's vocabulary;
//   4. fetches that Event again with a signed GET (Fedify's authenticated document loader).
// Each step prints one JSON line on stdout: {"step": "...", ...}. A failure prints
// {"step": "error", "message": "..."} and exits with status 1. Every wait is bounded.

import http from 'node:http';
import process from 'node:process';
import { inspect } from 'node:util';
import { configure } from '@logtape/logtape';
import {
  Accept,
  Create,
  CryptographicKey,
  Endpoints,
  Event,
  exportSpki,
  Follow,
  generateCryptoKeyPair,
  getAuthenticatedDocumentLoader,
  getDocumentLoader,
  Group,
  lookupObject,
  Person,
  signRequest,
  verifyRequest,
} from '@fedify/fedify';

const STEP_TIMEOUT_MS = Number(process.env.PEER_STEP_TIMEOUT_MS ?? 30000);
const TOTAL_TIMEOUT_MS = Number(process.env.PEER_TOTAL_TIMEOUT_MS ?? 120000);

function report(step, fields = {}) {
  process.stdout.write(`${JSON.stringify({ step, ...fields })}\n`);
}

function fail(message) {
  report('error', { message });
  process.exit(1);
}

process.on('unhandledRejection', (e) => fail(`unhandled rejection: ${e?.stack ?? e}`));
process.on('uncaughtException', (e) => fail(`uncaught exception: ${e?.stack ?? e}`));
setTimeout(() => fail(`the peer ran for more than ${TOTAL_TIMEOUT_MS} ms`), TOTAL_TIMEOUT_MS).unref();

const [nodeBase, associationName] = process.argv.slice(2);
if (!nodeBase || !associationName) fail('usage: node peer.mjs <node base URL> <association name>');
const node = new URL(nodeBase);

// Fedify's own logs go to stderr, which the test shows when it fails.
// Set PEER_DEBUG=1 to see them all.
const stderrSink = (record) => {
  const text = record.message.map((part, i) => (i % 2 === 0 ? part : inspect(part))).join('');
  process.stderr.write(`[${record.level}] ${record.category.join('·')}: ${text}\n`);
};
await configure({
  sinks: { stderr: stderrSink },
  loggers: [
    { category: 'fedify', lowestLevel: process.env.PEER_DEBUG ? 'debug' : 'warning', sinks: ['stderr'] },
    { category: ['logtape', 'meta'], lowestLevel: 'warning', sinks: ['stderr'] },
  ],
});

// Outgoing requests seen on the wire (Fedify's loaders use the global fetch): lets the peer
// report that its GET was really signed.
const sentRequests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const request = input instanceof Request ? input : null;
  sentRequests.push({
    method: request?.method ?? init?.method ?? 'GET',
    url: request?.url ?? String(input),
    signature: request?.headers.get('signature') ?? null,
  });
  return realFetch(input, init);
};

// Loopback addresses are private: Fedify refuses them unless told otherwise.
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const contextLoader = documentLoader;

// ---------------------------------------------------------------------------------------------
// Our own actor and inbox.

const { privateKey, publicKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
const base = `http://localhost:${server.address().port}`;
const actorId = new URL(`${base}/users/benevole`);
const keyId = new URL(`${actorId.href}#main-key`);
const personalInbox = new URL(`${actorId.href}/inbox`);
const sharedInbox = new URL(`${base}/inbox`);

const person = new Person({
  id: actorId,
  preferredUsername: 'benevole',
  name: 'Bénévole de test (Fedify)',
  inbox: personalInbox,
  outbox: new URL(`${actorId.href}/outbox`),
  followers: new URL(`${actorId.href}/followers`),
  following: new URL(`${actorId.href}/following`),
  endpoints: new Endpoints({ sharedInbox }),
  publicKey: new CryptographicKey({ id: keyId, owner: actorId, publicKey }),
  manuallyApprovesFollowers: false,
});
const personLd = await person.toJsonLd();
// The PEM is what Mastodon-like servers read; check Fedify wrote the key we sign with.
if (personLd.publicKey?.publicKeyPem !== (await exportSpki(publicKey))) {
  fail(`the served actor does not carry our public key: ${JSON.stringify(personLd.publicKey)}`);
}
const personJson = JSON.stringify(personLd);

// Activities that passed signature verification, by type, and who waits for them.
const received = [];
const waiters = [];
// GETs of our actor, with whether their signature (if any) verified.
const actorFetches = [];

function waitFor(what, predicate) {
  const found = received.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`)),
      STEP_TIMEOUT_MS,
    );
    waiters.push({ predicate, resolve: (x) => { clearTimeout(timer); resolve(x); } });
  });
}

function asRequest(req, body) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url, `http://${req.headers.host ?? new URL(base).host}`);
  return new Request(url, { method: req.method, headers, body: body.length > 0 ? body : undefined });
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

server.on('request', async (req, res) => {
  try {
    const path = new URL(req.url, base).pathname;
    const body = await readBody(req);
    if (req.method === 'GET' && (path === actorId.pathname)) {
      let verifiedKey = null;
      if (req.headers.signature) {
        const key = await verifyRequest(asRequest(req, body), { documentLoader, contextLoader });
        verifiedKey = key?.id?.href ?? null;
      }
      actorFetches.push({ signed: Boolean(req.headers.signature), verifiedKey, userAgent: req.headers['user-agent'] ?? null });
      res.writeHead(200, { 'Content-Type': 'application/activity+json' });
      res.end(personJson);
      return;
    }
    if (req.method === 'POST' && (path === personalInbox.pathname || path === sharedInbox.pathname)) {
      const request = asRequest(req, body);
      const key = await verifyRequest(request, { documentLoader, contextLoader });
      let json;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch (e) {
        res.writeHead(400).end();
        fail(`our inbox got a body that is not JSON: ${e}`);
        return;
      }
      if (key == null) {
        res.writeHead(401).end();
        fail(`Fedify's verifyRequest rejected the HTTP signature of a ${json.type} (signature: ${req.headers.signature})`);
        return;
      }
      const entry = {
        json,
        path,
        contentType: req.headers['content-type'] ?? null,
        keyId: key.id?.href ?? null,
        keyOwner: key.ownerId?.href ?? null,
      };
      received.push(entry);
      for (const w of waiters.splice(0)) {
        if (w.predicate(entry)) w.resolve(entry);
        else waiters.push(w);
      }
      res.writeHead(202).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  } catch (e) {
    res.writeHead(500).end();
    fail(`the peer's server failed on ${req.method} ${req.url}: ${e?.stack ?? e}`);
  }
});

report('listening', { actor: actorId.href, inbox: personalInbox.href, sharedInbox: sharedInbox.href });

// ---------------------------------------------------------------------------------------------
// 1. WebFinger, then the Group.

const handle = `${associationName}@${node.host}`;
// Fedify always asks https://HOST/.well-known/webfinger for acct: URIs; the node speaks http.
const wfUrl = `${node.origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle}`)}`;
const wfRes = await fetch(wfUrl, { headers: { Accept: 'application/jrd+json' } });
if (wfRes.status !== 200) fail(`WebFinger ${wfUrl} answered ${wfRes.status}`);
const jrd = await wfRes.json();
const selfLink = (jrd.links ?? []).find(
  (l) => l.rel === 'self' && (l.type === 'application/activity+json' || l.type?.startsWith('application/ld+json')),
);
if (!selfLink) fail(`no self link in the WebFinger answer: ${JSON.stringify(jrd)}`);

const group = await lookupObject(selfLink.href, { documentLoader, contextLoader });
if (!(group instanceof Group)) {
  fail(`lookupObject(${selfLink.href}) did not give a Group but ${group?.constructor?.name ?? group}`);
}
const groupKey = await group.getPublicKey({ documentLoader, contextLoader });
report('resolved', {
  webfingerContentType: wfRes.headers.get('content-type'),
  subject: jrd.subject,
  self: selfLink.href,
  type: 'Group',
  id: group.id?.href ?? null,
  preferredUsername: group.preferredUsername?.toString() ?? null,
  name: group.name?.toString() ?? null,
  inbox: group.inboxId?.href ?? null,
  outbox: group.outboxId?.href ?? null,
  followers: group.followersId?.href ?? null,
  sharedInbox: group.endpoints?.sharedInbox?.href ?? null,
  publicKeyId: groupKey?.id?.href ?? null,
  publicKeyOwner: groupKey?.ownerId?.href ?? null,
  publicKeyIsRsa: groupKey?.publicKey?.algorithm?.name === 'RSASSA-PKCS1-v1_5',
});

// ---------------------------------------------------------------------------------------------
// 2. Follow, and the Accept.

const follow = new Follow({
  id: new URL(`${base}/follows/${crypto.randomUUID()}`),
  actor: actorId,
  object: group.id,
  to: group.id,
});
const followBody = JSON.stringify(await follow.toJsonLd());
const followReq = await signRequest(
  new Request(group.inboxId, {
    method: 'POST',
    body: followBody,
    headers: { 'Content-Type': 'application/activity+json', Accept: 'application/activity+json' },
  }),
  privateKey,
  keyId,
);
const followRes = await fetch(followReq);
const followResText = await followRes.text();
if (followRes.status < 200 || followRes.status > 299) {
  fail(`the Follow was refused: ${followRes.status} ${followResText}`);
}
report('follow-sent', { id: follow.id.href, status: followRes.status });

let acceptEntry;
try {
  acceptEntry = await waitFor('the Accept of our Follow', (e) => e.json.type === 'Accept');
} catch (e) {
  fail(e.message);
}
const accept = await Accept.fromJsonLd(acceptEntry.json, { documentLoader, contextLoader });
const accepted = await accept.getObject({ documentLoader, contextLoader });
report('accepted', {
  id: accept.id?.href ?? null,
  actor: accept.actorId?.href ?? null,
  keyId: acceptEntry.keyId,
  keyOwner: acceptEntry.keyOwner,
  contentType: acceptEntry.contentType,
  objectIsEmbedded: typeof acceptEntry.json.object === 'object' && acceptEntry.json.object !== null,
  objectIsFollow: accepted instanceof Follow,
  followId: accepted?.id?.href ?? null,
  followActor: accepted instanceof Follow ? accepted.actorId?.href ?? null : null,
  followObject: accepted instanceof Follow ? accepted.objectId?.href ?? null : null,
});

// ---------------------------------------------------------------------------------------------
// 3. The Create{Event} of a mission (the test creates it after seeing "accepted").

function describeEvent(event) {
  return {
    id: event.id?.href ?? null,
    name: event.name?.toString() ?? null,
    summary: event.summary?.toString() ?? null,
    startTime: event.startTime?.toString() ?? null,
    endTime: event.endTime?.toString() ?? null,
    attributedTo: event.attributionId?.href ?? null,
    url: event.url instanceof URL ? event.url.href : event.url?.href?.href ?? null,
    hasContent: Boolean(event.content?.toString()),
  };
}

let createEntry;
try {
  createEntry = await waitFor('a Create', (e) => e.json.type === 'Create');
} catch (e) {
  fail(e.message);
}
const create = await Create.fromJsonLd(createEntry.json, { documentLoader, contextLoader });
const createdObject = await create.getObject({ documentLoader, contextLoader });
if (!(createdObject instanceof Event)) {
  fail(`the Create's object is not an Event but ${createdObject?.constructor?.name ?? createdObject}`);
}
// The place must survive JSON-LD processing (our context keeps ActivityStreams' `location`).
const place = await createdObject.getLocation({ documentLoader, contextLoader });
report('created', {
  locationName: place?.name?.toString() ?? null,
  id: create.id?.href ?? null,
  actor: create.actorId?.href ?? null,
  keyId: createEntry.keyId,
  keyOwner: createEntry.keyOwner,
  inbox: createEntry.path,
  contentType: createEntry.contentType,
  objectIsEmbedded: typeof createEntry.json.object === 'object' && createEntry.json.object !== null,
  event: describeEvent(createdObject),
});

// ---------------------------------------------------------------------------------------------
// 4. The Event again, by a signed GET, as Mastodon does in authorized-fetch mode.

const signedLoader = getAuthenticatedDocumentLoader({ keyId, privateKey }, { allowPrivateAddress: true });
const before = sentRequests.length;
const fetched = await lookupObject(createdObject.id, { documentLoader: signedLoader, contextLoader });
const wire = sentRequests.slice(before).find((r) => r.url === createdObject.id.href) ?? null;
if (!(fetched instanceof Event)) {
  fail(`the signed GET of ${createdObject.id.href} did not give an Event but ${fetched?.constructor?.name ?? fetched}`);
}
report('fetched', {
  signedWithKey: wire?.signature?.match(/keyId="([^"]*)"/)?.[1] ?? null,
  event: describeEvent(fetched),
});

report('done', { actorFetches, activitiesReceived: received.map((e) => e.json.type) });
server.close();
process.exit(0);
