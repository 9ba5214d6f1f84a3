import { paginate, type CursorCodec, type MemoryTable, type MemoryTransaction } from "@platform/core";
import type {
  ClaimedNotification,
  DeadLetterNotification,
  NewNotification,
  NotificationSettlement,
} from "../../domain/notification-job.js";
import type { NotificationClaim, NotificationRepository } from "../../ports/notification-repository.js";
import type { MemoryNotificationQueues } from "./memory-notification-queues.js";

/** A stored notification (sent ones are deleted: only pending and dead-lettered ones stay). */
export interface NotificationRow extends NewNotification {
  readonly seq: number;
  readonly status: "pending" | "failed";
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly leaseUntil: Date | null;
  readonly claimToken: string | null;
  readonly lastError: string | null;
}

/** Key of a recipient's queue. */
function queueKey(row: { channel: string; recipient: string }): string {
  return `${row.channel}\u0000${row.recipient}`;
}

/** Notification queues on the memory store: rows, and each recipient queue's pending rows in order. */
export class MemoryNotificationRepository implements NotificationRepository {
  constructor(
    private readonly rows: MemoryTable<NotificationRow, "event", "failed">,
    private readonly queues: MemoryNotificationQueues,
    private readonly sequence: { next: number },
    private readonly tx: MemoryTransaction,
    private readonly codec: CursorCodec,
  ) {}

  async enqueue(notifications: readonly NewNotification[]): Promise<void> {
    for (const n of notifications) {
      if (this.rows.getByUnique("event", `${n.eventId}\u0000${n.channel}`)) continue;
      const row = this.rows.insert({
        ...n,
        seq: ++this.sequence.next,
        status: "pending",
        attempts: 0,
        nextAttemptAt: n.createdAt,
        leaseUntil: null,
        claimToken: null,
        lastError: null,
      });
      this.queues.add(this.tx, queueKey(row), row.seq, row.id);
    }
  }

  async claimNext(claim: NotificationClaim): Promise<ClaimedNotification | null> {
    const now = claim.now.getTime();
    // Only a queue's head (its lowest pending seq) may go out.
    let best: NotificationRow | undefined;
    for (const id of this.queues.heads()) {
      const row = this.rows.get(id)!;
      if (!claim.channels.includes(row.channel) || row.nextAttemptAt.getTime() > now || (row.leaseUntil && row.leaseUntil.getTime() > now))
        continue;
      if (
        !best ||
        row.nextAttemptAt < best.nextAttemptAt ||
        (row.nextAttemptAt.getTime() === best.nextAttemptAt.getTime() && row.seq < best.seq)
      )
        best = row;
    }
    if (!best) return null;
    const claimed = this.rows.put({ ...best, attempts: best.attempts + 1, leaseUntil: claim.leaseUntil, claimToken: claim.claimToken });
    const { id, eventId, channel, recipient, template, message, attempts } = claimed;
    return { id, eventId, channel, recipient, template, message, attempts, claimToken: claim.claimToken };
  }

  async settle(id: string, claimToken: string, settlement: NotificationSettlement): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== "pending" || row.claimToken !== claimToken) return false;
    // A sent or dead-lettered row leaves its queue; a retried or released one stays its head.
    if (settlement.status === "sent" || settlement.status === "failed") this.queues.remove(this.tx, queueKey(row), row.seq, row.id);
    if (settlement.status === "sent") this.rows.delete(id);
    else if (settlement.status === "released") this.rows.put({ ...row, leaseUntil: null, claimToken: null });
    else if (settlement.status === "retry")
      this.rows.put({ ...row, nextAttemptAt: settlement.nextAttemptAt, leaseUntil: null, claimToken: null, lastError: settlement.error });
    else this.rows.put({ ...row, status: "failed", leaseUntil: null, claimToken: null, lastError: settlement.error });
    return true;
  }

  async listDeadLetters(page: { limit: number; cursor: string | null }) {
    return paginate(this.rows.findBy("failed", "1").map(deadLetterOf), page, {
      kind: "notifications.dead_letters",
      key: (n) => [this.rows.get(n.id)!.seq, n.id],
      direction: "asc",
      codec: this.codec,
    });
  }

  async requeueDeadLetter(id: string, now: Date) {
    const row = this.rows.get(id);
    if (!row) return null;
    if (row.status !== "failed") return false;
    // Back in its queue at its own place (its seq), as PostgreSQL orders a queue by seq.
    this.queues.add(this.tx, queueKey(row), row.seq, row.id);
    return deadLetterOf(this.rows.put({ ...row, status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null, claimToken: null }));
  }
}

function deadLetterOf(row: NotificationRow): DeadLetterNotification {
  const { id, eventId, channel, recipient, template, attempts, lastError, createdAt } = row;
  return { id, eventId, channel, recipient, template, attempts, lastError, createdAt };
}
