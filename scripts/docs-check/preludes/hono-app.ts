// Prelude for doc blocks that show a Hono app: the part of its API they use, typed
// structurally so the docs check needs no web framework installed.
declare const app: {
  onError(
    handler: (
      err: Error,
      c: { get(key: "requestId"): string; json(body: unknown, status: number, headers: Record<string, string>): Response },
    ) => Response,
  ): void;
};
