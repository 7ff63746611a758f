// A software WebAuthn authenticator for tests without a browser: a real P-256 key pair, real authenticator data and
// signatures ("none" attestation), so the server's checks run unchanged. The rp id, origin and counter are the
// test's to choose, which is how a wrong origin, a wrong rp id or a counter that goes back are made.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

const b64 = (b: Uint8Array): string => isoBase64URL.fromBuffer(b as Uint8Array<ArrayBuffer>);
const sha256 = (b: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface SoftCredential {
  id: string;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

/** Where the answer claims to come from; defaults are the test server's. */
export interface Claim {
  rpId: string;
  origin: string;
}

/** Answers options from generateRegistrationOptions: a new credential, and the JSON the browser would post. */
export function createCredential(options: { challenge: string; user: { id: string } }, claim: Claim, counter = 0): { credential: SoftCredential; json: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, isoBase64URL.toBuffer(jwk.x!)], [-3, isoBase64URL.toBuffer(jwk.y!)]]));
  const rawId = new Uint8Array(randomBytes(16));
  const idLength = new Uint8Array([0, rawId.length]);
  const authData = concat(sha256(claim.rpId), new Uint8Array([0x45]), u32(counter), new Uint8Array(16), idLength, rawId, cose);
  const clientData = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: claim.origin, crossOrigin: false });
  const attestation = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
  const id = b64(rawId);
  const json = JSON.stringify({
    id, rawId: id, type: 'public-key', clientExtensionResults: {},
    response: { clientDataJSON: b64(new TextEncoder().encode(clientData)), attestationObject: b64(attestation), transports: ['internal'] },
  });
  return { credential: { id, privateKey, userHandle: options.user.id, counter }, json };
}

/** Answers options from generateAuthenticationOptions with `credential`, its counter moved to `counter` (default +1). */
export function assert(credential: SoftCredential, options: { challenge: string }, claim: Claim, counter = credential.counter + 1): string {
  credential.counter = counter;
  const authData = concat(sha256(claim.rpId), new Uint8Array([0x05]), u32(counter));
  const clientData = new TextEncoder().encode(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: claim.origin, crossOrigin: false }));
  const signature = new Uint8Array(sign('sha256', concat(authData, sha256(clientData)), credential.privateKey));
  return JSON.stringify({
    id: credential.id, rawId: credential.id, type: 'public-key', clientExtensionResults: {},
    response: { clientDataJSON: b64(clientData), authenticatorData: b64(authData), signature: b64(signature), userHandle: credential.userHandle },
  });
}
