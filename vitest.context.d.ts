// Values the global setup hands to tests through `inject(...)`.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server; tests create their own databases on it. */
    databaseUrl: string;
  }
}
