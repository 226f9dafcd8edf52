/**
 * A session-level PostgreSQL advisory lock held on a connection of its own. The server frees
 * it when that connection ends, so whoever holds a lease must watch `lost`: once it settles,
 * another process may already hold the lock.
 */
export interface AdvisoryLease {
  readonly key: bigint;
  /** False once released, or once the lock's connection is known to be gone. */
  readonly held: boolean;
  /** Resolves (never rejects) when the lease ends: release(), close(), or the connection lost. */
  readonly lost: Promise<void>;
  /**
   * A round trip on the lock's connection. False, and the lease lost, when it fails or takes
   * longer than `timeoutMs`: a silent network can leave a dead connection looking open for
   * minutes, while the server has long freed the lock.
   */
  verify(timeoutMs?: number): Promise<boolean>;
  /** Unlocks; harmless when already lost. */
  release(): Promise<void>;
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;

interface LeaseHooks {
  unlock(key: bigint): Promise<void>;
  ping(timeoutMs: number): Promise<boolean>;
  forget(lease: Lease): void;
}

/** The lease both drivers hand out; the driver decides how unlocking and pinging happen. */
export class Lease implements AdvisoryLease {
  readonly lost: Promise<void>;
  private active = true;
  private resolveLost!: () => void;

  constructor(
    readonly key: bigint,
    private readonly hooks: LeaseHooks,
  ) {
    this.lost = new Promise((resolve) => (this.resolveLost = resolve));
  }

  get held(): boolean {
    return this.active;
  }

  async verify(timeoutMs = DEFAULT_VERIFY_TIMEOUT_MS): Promise<boolean> {
    if (!this.active) return false;
    if (await this.hooks.ping(timeoutMs)) return this.active;
    this.markLost();
    return false;
  }

  async release(): Promise<void> {
    if (!this.active) return;
    this.markLost();
    await this.hooks.unlock(this.key).catch(() => undefined);
  }

  /** Called by the driver when the connection carrying the lock is gone. */
  markLost(): void {
    if (!this.active) return;
    this.active = false;
    this.hooks.forget(this);
    this.resolveLost();
  }
}

/** PGlite is one process and one connection: a lock is this client's to grant, and always granted once. */
export class InProcessAdvisoryLocks {
  private readonly leases = new Map<bigint, Lease>();

  tryLock(key: bigint): AdvisoryLease | null {
    if (this.leases.has(key)) return null;
    const lease = new Lease(key, {
      unlock: async () => undefined,
      ping: async () => true,
      forget: (ended) => {
        if (this.leases.get(key) === ended) this.leases.delete(key);
      },
    });
    this.leases.set(key, lease);
    return lease;
  }

  loseAll(): void {
    for (const lease of [...this.leases.values()]) lease.markLost();
  }
}
