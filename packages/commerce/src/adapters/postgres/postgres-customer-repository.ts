import { ConflictError } from "@platform/core";
import type { Customer, PasswordHash } from "../../domain/customer.js";
import type { Role } from "../../domain/schemas.js";
import type { CustomerRepository } from "../../ports/customer-repository.js";
import type { Sql } from "./sql-runner.js";
import { commerceCodes } from "../../domain/error-codes.js";

interface CustomerRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  roles: Role[];
  password_hash: PasswordHash;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const COLUMNS = "id, email, name, phone, roles, password_hash, created_at, updated_at, version";

function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    roles: r.roles,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** {@link CustomerRepository} on the `users` table (unique index `idx_users_email` on lower(email)). */
export class PostgresCustomerRepository implements CustomerRepository {
  constructor(private readonly sql: Sql) {}

  async get(id: string): Promise<Customer | null> {
    const row = await this.sql.one<CustomerRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row ? toCustomer(row) : null;
  }

  async getByEmail(email: string): Promise<Customer | null> {
    const row = await this.sql.one<CustomerRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return row ? toCustomer(row) : null;
  }

  async insert(c: Customer): Promise<void> {
    const inserted = await this.sql.query(
      `INSERT INTO users (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8, $9) ON CONFLICT ((lower(email))) DO NOTHING`,
      [c.id, c.email, c.name, c.phone, [...c.roles], JSON.stringify(c.passwordHash), c.createdAt, c.updatedAt, c.version],
    );
    if (inserted.rowCount === 0) throw new ConflictError(commerceCodes.email_taken, "email is taken");
  }

  async update(c: Customer, expectedVersion: number): Promise<void> {
    const updated = await this.sql.query(
      `UPDATE users SET email = $2, name = $3, phone = $4, roles = $5::text[], password_hash = $6::jsonb, updated_at = $7, version = $8 WHERE id = $1 AND version = $9`,
      [c.id, c.email, c.name, c.phone, [...c.roles], JSON.stringify(c.passwordHash), c.updatedAt, c.version, expectedVersion],
    );
    if (updated.rowCount === 0) throw new ConflictError(commerceCodes.version_conflict, `customer ${c.id} was changed concurrently`);
  }
}
