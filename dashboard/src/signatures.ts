// Ed25519 verification of what the directory publishes, with the same domain-separation
// prefixes as protos/Signing/DirectorySignatures.cs: a signature over ASCII prefix || exact bytes.
//
// WebCrypto's Ed25519 is used where the browser has it. Browsers hide WebCrypto outside a
// secure context (a directory reached over plain http on a LAN address), so noble-ed25519,
// a small audited library, is the fallback: the page never shows unverified data.

import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { toBase64Unpadded } from "./format.js";

ed.hashes.sha512 = sha512;

const encoder = new TextEncoder();
export const topologyPrefix = encoder.encode("mixnet-directory/v1/topology");
export const topologyDeltaPrefix = encoder.encode("mixnet-directory/v1/topology-delta");
export const consensusPrefix = encoder.encode("mixnet-directory/v1/consensus");

export const publicKeySize = 32;
export const signatureSize = 64;

/** Raised when a signature (or the key) is not valid; the data that carried it is dropped. */
export class SignatureError extends Error {}

type VerifyFn = (message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** The directory's key, imported once per connection. */
export class DirectoryVerifier {
  private constructor(
    readonly rawKey: Uint8Array,
    readonly engine: string,
    private readonly verify: VerifyFn,
  ) {}

  static async create(rawKey: Uint8Array): Promise<DirectoryVerifier> {
    if (rawKey.length !== publicKeySize) {
      throw new SignatureError(`the directory key is ${rawKey.length} bytes, not ${publicKeySize}`);
    }
    const subtle = globalThis.crypto?.subtle;
    if (subtle) {
      let key: CryptoKey | undefined;
      try {
        key = await subtle.importKey("raw", rawKey as BufferSource, { name: "Ed25519" }, false, ["verify"]);
      } catch (e) {
        if (!(e instanceof DOMException && e.name === "NotSupportedError")) {
          throw new SignatureError(`the directory key is not a valid Ed25519 key (${String(e)})`);
        }
      }
      if (key) {
        const imported = key;
        return new DirectoryVerifier(rawKey, "WebCrypto Ed25519", (m, s) =>
          subtle.verify("Ed25519", imported, s as BufferSource, m as BufferSource));
      }
    }
    try {
      ed.Point.fromBytes(rawKey, false);
    } catch (e) {
      throw new SignatureError(`the directory key is not a valid Ed25519 key (${String(e)})`);
    }
    return new DirectoryVerifier(rawKey, "noble-ed25519", (m, s) =>
      Promise.resolve(ed.verify(s, m, rawKey, { zip215: false })));
  }

  /** Throws SignatureError unless signature is valid over prefix || payload. */
  async check(what: string, prefix: Uint8Array, payload: Uint8Array, signature: Uint8Array): Promise<void> {
    if (signature.length !== signatureSize) {
      throw new SignatureError(`${what}: the signature is ${signature.length} bytes, not ${signatureSize}`);
    }
    const message = new Uint8Array(prefix.length + payload.length);
    message.set(prefix, 0);
    message.set(payload, prefix.length);
    if (!(await this.verify(message, signature))) {
      throw new SignatureError(`${what}: the directory's signature does not verify`);
    }
  }
}

/** "SHA256:" + unpadded base64 of SHA-256 of the raw key, as protos/Signing/KeyFingerprint.cs prints it. */
export async function fingerprint(rawKey: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  const digest = subtle
    ? new Uint8Array(await subtle.digest("SHA-256", rawKey as BufferSource))
    : sha256(rawKey);
  return "SHA256:" + toBase64Unpadded(digest);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The first directory key this page trusted. A different key later (after a reconnect, or relayed
 * by another tab) is refused until the page is reloaded. Shared by every source of data in a tab.
 */
export class KeyPin {
  private pinned: Uint8Array | undefined;

  /** The pinned key, once the page has trusted one. */
  get key(): Uint8Array | undefined {
    return this.pinned;
  }

  /** Pins key on first use and returns its fingerprint; throws SignatureError for any other key. */
  async accept(key: Uint8Array): Promise<string> {
    const print = await fingerprint(key);
    if (this.pinned && !sameBytes(this.pinned, key)) {
      const was = await fingerprint(this.pinned);
      throw new SignatureError(`the directory key changed from ${was} to ${print}; reload the page to trust the new key`);
    }
    this.pinned = key;
    return print;
  }
}
