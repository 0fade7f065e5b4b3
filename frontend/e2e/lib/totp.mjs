// RFC 6238 TOTP (RFC 4226 HOTP over a 30 s counter) with node's crypto, so
// the browser tests compute the codes an authenticator app would show:
// SHA-1, 6 digits, 30-second steps, base32 secrets (RFC 4648, no padding).
import { createHmac } from "node:crypto";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Decode(s) {
  const clean = s.toUpperCase().replace(/[\s=]/g, "");
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`base32: bad character ${JSON.stringify(ch)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP(key, counter), RFC 4226 §5.3 dynamic truncation. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, "0");
}

/** The TOTP code of a base32 secret at time ms (step offset: -1, 0, +1 …). */
export function totp(secret, { at = Date.now(), step = 0 } = {}) {
  return hotp(base32Decode(secret), Math.floor(at / 1000 / 30) + step);
}

// RFC 6238 Appendix B (SHA-1): the secret "12345678901234567890", 8 digits.
export function selfTest() {
  const key = Buffer.from("12345678901234567890");
  const cases = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1234567890, "89005924"],
    [20000000000, "65353130"],
  ];
  for (const [t, want] of cases) {
    const got = hotp(key, Math.floor(t / 30), 8);
    if (got !== want) throw new Error(`totp self-test: T=${t} gave ${got}, want ${want}`);
  }
  if (base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString() !== "12345678901234567890") throw new Error("base32 self-test failed");
}
