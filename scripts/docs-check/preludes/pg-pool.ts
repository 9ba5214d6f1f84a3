// Prelude for doc blocks that run on the host application's own node-postgres pool.
declare const pool: import("pg").Pool;
