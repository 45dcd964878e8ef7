// The authorities' consensus, when this directory is a directory authority: fetched with
// GetConsensus (unary, so it needs no connection of its own between polls), checked here
// signature by signature, and kept only when enough distinct configured authorities signed it.

import { ConnectError, Code, createClient, type Client, type Transport } from "@connectrpc/connect";
import { fromBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ConsensusDocumentSchema, type SignedConsensus } from "./gen/mixnet/directory/v1/consensus_pb.js";
import { TopologyService } from "./gen/mixnet/directory/v1/topology_service_pb.js";
import { toHex } from "./format.js";
import { consensusPrefix, DirectoryVerifier, SignatureError, type KeyPin } from "./signatures.js";

/** How often the page asks for a newer consensus (an empty answer while the epoch is the same). */
const pollMs = 5_000;
/** While the directory says it is no authority, ask again this rarely (a restart may make it one). */
const notAuthorityPollMs = 60_000;
/**
 * An authority serves its document once t authorities signed it and adds later signatures as they
 * come (within seconds). While fewer than all signed, the whole document is fetched again this
 * many times per epoch to show them; after that an authority that stays silent costs nothing more.
 */
const incompleteRefetches = 3;

export type SignerCheck = "valid" | "missing" | "invalid";

export interface Signer {
  readonly key: string; // lower-case hex of the authority key
  readonly check: SignerCheck;
  readonly reason?: string;
}

/** A consensus this page verified. */
export interface VerifiedConsensus {
  readonly epoch: bigint;
  readonly validAfterMs: number;
  readonly freshUntilMs: number;
  readonly validUntilMs: number;
  readonly nodes: number;
  /** Every configured authority, in the document's order, with what its signature did. */
  readonly signers: readonly Signer[];
  readonly validSignatures: number;
  readonly threshold: number;
  readonly receivedAtMs: number;
}

export class ConsensusModel {
  /** unknown until the first answer; none: the directory is not an authority (the panel hides). */
  mode: "unknown" | "none" | "authority" = "unknown";
  current: VerifiedConsensus | undefined;
  /** The directory is an authority but holds no consensus with enough signatures (its words). */
  missing: string | undefined;
  /** The last document was refused here (bad or too few signatures); current is the previous one. */
  refused: string | undefined;
  /** Authority names by key (hex), as GetDirectoryInfo lists them (display only, not signed). */
  names = new Map<string, string>();
  /** The last request failed (network, timeout); cleared by the next answer. */
  error: string | undefined;
  revision = 0;
}

/** Verifies a signed consensus; throws SignatureError when fewer than ⌊N/2⌋+1 configured authorities validly signed it. */
export async function verifyConsensus(
  signed: SignedConsensus,
  directoryKey: Uint8Array | undefined,
  verifiers: Map<string, Promise<DirectoryVerifier>>,
): Promise<VerifiedConsensus> {
  const doc = fromBinary(ConsensusDocumentSchema, signed.document);
  const authorities = doc.authorityKeys.map(toHex);
  if (authorities.length === 0) throw new SignatureError("the consensus lists no authorities");
  if (directoryKey && !authorities.includes(toHex(directoryKey))) {
    throw new SignatureError("this directory's own key is not among the consensus's authorities");
  }
  const threshold = Math.floor(authorities.length / 2) + 1;
  const checks = new Map<string, Signer>();
  for (const s of signed.signatures) {
    const key = toHex(s.authorityKey);
    if (!authorities.includes(key) || checks.get(key)?.check === "valid") continue; // unknown keys and repeats count for nothing
    let verifier = verifiers.get(key);
    if (!verifier) {
      verifier = DirectoryVerifier.create(s.authorityKey);
      verifiers.set(key, verifier);
    }
    try {
      await (await verifier).check(`authority ${key.slice(0, 8)}`, consensusPrefix, signed.document, s.signature);
      checks.set(key, { key, check: "valid" });
    } catch (e) {
      // A malformed key or signature some engines throw on is as invalid as one that does not verify.
      checks.set(key, { key, check: "invalid", reason: e instanceof SignatureError ? e.message : `not verifiable (${String(e)})` });
    }
  }
  const signers = authorities.map((key) => checks.get(key) ?? { key, check: "missing" as const });
  const validSignatures = signers.filter((s) => s.check === "valid").length;
  if (validSignatures < threshold) {
    throw new SignatureError(`consensus for epoch ${doc.epoch}: ${validSignatures} valid authority signature${validSignatures === 1 ? "" : "s"} of ${authorities.length}, ${threshold} needed`);
  }
  return {
    epoch: doc.epoch,
    validAfterMs: doc.validAfter ? timestampMs(doc.validAfter) : 0,
    freshUntilMs: doc.freshUntil ? timestampMs(doc.freshUntil) : 0,
    validUntilMs: doc.validUntil ? timestampMs(doc.validUntil) : 0,
    nodes: doc.nodes.length,
    signers,
    validSignatures,
    threshold,
    receivedAtMs: Date.now(),
  };
}

/** Asks the directory for its consensus every few seconds, for as long as the page is open. */
export class ConsensusPoller {
  private readonly client: Client<typeof TopologyService>;
  private readonly verifiers = new Map<string, Promise<DirectoryVerifier>>();
  private refetchesLeft = incompleteRefetches;
  private namesFetched = false;

  constructor(
    transport: Transport,
    private readonly model: ConsensusModel,
    private readonly pin: KeyPin,
    private readonly changed: () => void,
  ) {
    this.client = createClient(TopologyService, transport);
  }

  /** Names for the signers; a directory that lists none (older server) leaves keys alone. */
  private async fetchNames(): Promise<void> {
    try {
      const info = await this.client.getDirectoryInfo({}, { timeoutMs: 10_000 });
      for (const a of info.authorities) if (a.key.length === 32) this.model.names.set(toHex(a.key), a.name);
      this.namesFetched = true;
    } catch {
      // Names are a nicety: the next poll asks again.
    }
  }

  start(): void {
    void this.poll();
  }

  private async poll(): Promise<void> {
    const m = this.model;
    try {
      const held = m.current;
      const incomplete = held !== undefined && held.validSignatures < held.signers.length;
      const full = !held || (incomplete && this.refetchesLeft > 0);
      if (held && full) this.refetchesLeft--;
      const r = await this.client.getConsensus({ knownEpoch: full ? 0n : held.epoch }, { timeoutMs: 10_000 });
      m.mode = "authority";
      m.missing = undefined;
      m.error = undefined;
      if (!this.namesFetched) await this.fetchNames();
      if (r.consensus) {
        try {
          const verified = await verifyConsensus(r.consensus, this.pin.key, this.verifiers);
          // An older epoch from a lagging answer never replaces a newer one.
          if (!m.current || verified.epoch >= m.current.epoch) {
            if (verified.epoch !== m.current?.epoch) this.refetchesLeft = incompleteRefetches;
            m.current = verified;
          }
          m.refused = undefined;
        } catch (e) {
          if (!(e instanceof SignatureError)) throw e;
          m.refused = e.message;
        }
      }
    } catch (e) {
      if (e instanceof ConnectError && (e.code === Code.Unimplemented
        || (e.code === Code.FailedPrecondition && /not a directory authority/i.test(e.rawMessage)))) {
        m.mode = "none";
      } else if (e instanceof ConnectError && e.code === Code.FailedPrecondition) {
        m.mode = "authority";
        m.missing = e.rawMessage;
        m.error = undefined;
        if (!this.namesFetched) await this.fetchNames();
      } else {
        m.error = e instanceof ConnectError ? e.rawMessage : String(e);
      }
    }
    m.revision++;
    this.changed();
    window.setTimeout(() => void this.poll(), m.mode === "none" ? notAuthorityPollMs : pollMs);
  }
}
