// Prelude for doc blocks that show pino: its default export, typed as the SDK's Logger so the
// docs check needs no logger installed (pino's own types are compatible).
declare function pino(): import("@platform/core").Logger;
