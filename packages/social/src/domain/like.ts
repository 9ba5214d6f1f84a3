/** What a like points at. */
export type LikeTarget = "post" | "comment";

/** A like: one per user per target (the pair is unique in storage). */
export interface Like {
  readonly id: string;
  readonly seq: number;
  readonly userId: string;
  readonly targetType: LikeTarget;
  readonly targetId: string;
  readonly createdAt: Date;
}
