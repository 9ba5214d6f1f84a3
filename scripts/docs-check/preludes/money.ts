// Prelude for doc blocks that show Money operations on existing amounts.
declare const price: import("@platform/core").Money;
declare const other: import("@platform/core").Money;
