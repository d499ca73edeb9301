// Verifies the detached JWS of a signed Tsunagi JSON message with an independent JOSE implementation:
// node verify-jws-with-node.mjs signed.json agency.pub.pem   (npm install jose@5 canonicalize)
import { readFileSync } from 'node:fs';
import { flattenedVerify, importSPKI } from 'jose';
import canonicalize from 'canonicalize';
const [,, file, pem] = process.argv;
const msg = JSON.parse(readFileSync(file, 'utf8'));
const jws = msg.signature; delete msg.signature;
const [protectedHeader, , signature] = jws.split('.');
const key = await importSPKI(readFileSync(pem, 'utf8'), 'ES256');
try {
  const r = await flattenedVerify({ protected: protectedHeader, payload: Buffer.from(canonicalize(msg), 'utf8').toString('base64url'), signature }, key);
  console.log('valid', JSON.stringify(r.protectedHeader));
} catch (e) { console.log('invalid', e.code, e.message); process.exit(1); }
