import type { Address } from "../../domain/address.js";
import type { AddressRepository } from "../../ports/customer-repository.js";
import type { Sql } from "./sql-runner.js";

interface AddressRow {
  id: string;
  user_id: string;
  name: string;
  street: string;
  street2: string | null;
  city: string;
  state: string | null;
  zip_code: string;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  is_default_billing: boolean;
  created_at: Date;
}

const COLUMNS =
  "id, user_id, name, street, street2, city, state, zip_code, country, phone, is_default_shipping, is_default_billing, created_at";

function toAddress(r: AddressRow): Address {
  return {
    id: r.id,
    customerId: r.user_id,
    name: r.name,
    line1: r.street,
    line2: r.street2,
    city: r.city,
    region: r.state,
    postalCode: r.zip_code,
    country: r.country,
    phone: r.phone,
    isDefaultShipping: r.is_default_shipping,
    isDefaultBilling: r.is_default_billing,
    createdAt: r.created_at,
  };
}

/** {@link AddressRepository} on the `addresses` table (street/state/zip_code columns). */
export class PostgresAddressRepository implements AddressRepository {
  constructor(private readonly sql: Sql) {}

  async get(id: string): Promise<Address | null> {
    const r = await this.sql.one<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE id = $1`, [id]);
    return r ? toAddress(r) : null;
  }

  async listByCustomer(customerId: string): Promise<Address[]> {
    return (
      await this.sql.rows<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at, id`, [customerId])
    ).map(toAddress);
  }

  async save(a: Address): Promise<void> {
    await this.sql.query(
      `INSERT INTO addresses (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, street = EXCLUDED.street, street2 = EXCLUDED.street2, city = EXCLUDED.city,
         state = EXCLUDED.state, zip_code = EXCLUDED.zip_code, country = EXCLUDED.country, phone = EXCLUDED.phone,
         is_default_shipping = EXCLUDED.is_default_shipping, is_default_billing = EXCLUDED.is_default_billing`,
      [
        a.id,
        a.customerId,
        a.name,
        a.line1,
        a.line2,
        a.city,
        a.region,
        a.postalCode,
        a.country,
        a.phone,
        a.isDefaultShipping,
        a.isDefaultBilling,
        a.createdAt,
      ],
    );
  }

  async delete(id: string): Promise<void> {
    await this.sql.query("DELETE FROM addresses WHERE id = $1", [id]);
  }
}
