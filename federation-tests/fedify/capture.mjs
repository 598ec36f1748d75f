// Prints, as Fedify serialises them, the documents peer.mjs sends to an entraide node: its
// Person actor (served to the node when it checks a signature) and its Follow. Run with
// `node capture.mjs <dir>` to refresh federation-tests/fixtures/fedify/.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import {
  CryptographicKey,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  Person,
  Undo,
} from '@fedify/fedify';

const dir = process.argv[2] ?? '.';
const base = 'http://localhost:40123';
const group = new URL('http://127.0.0.1:38001/g/epicerie');
const actorId = new URL(`${base}/users/benevole`);
const { publicKey } = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
const person = new Person({
  id: actorId,
  preferredUsername: 'benevole',
  name: 'Bénévole de test (Fedify)',
  inbox: new URL(`${actorId.href}/inbox`),
  outbox: new URL(`${actorId.href}/outbox`),
  followers: new URL(`${actorId.href}/followers`),
  following: new URL(`${actorId.href}/following`),
  endpoints: new Endpoints({ sharedInbox: new URL(`${base}/inbox`) }),
  publicKey: new CryptographicKey({ id: new URL(`${actorId.href}#main-key`), owner: actorId, publicKey }),
  manuallyApprovesFollowers: false,
});
const follow = new Follow({
  id: new URL(`${base}/follows/5b0e4b53-43b5-4a4e-9b0c-2f1c7c3f2a10`),
  actor: actorId,
  object: group,
  to: group,
});
const undo = new Undo({
  id: new URL(`${base}/follows/5b0e4b53-43b5-4a4e-9b0c-2f1c7c3f2a10/undo`),
  actor: actorId,
  object: follow,
  to: group,
});
const write = async (name, object) =>
  writeFileSync(`${dir}/${name}`, `${JSON.stringify(await object.toJsonLd(), null, 2)}\n`);
await write('person.json', person);
await write('follow.json', follow);
await write('undo-follow.json', undo);
