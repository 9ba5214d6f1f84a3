import { z } from "zod";
import { codedString, refSchema } from "./schemas.js";
import { commerceCodes } from "./error-codes.js";

/** A postal address of a customer. */
export interface Address {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  /** State / province / region code, e.g. `NY`. */
  readonly region: string | null;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
  readonly phone: string | null;
  readonly isDefaultShipping: boolean;
  readonly isDefaultBilling: boolean;
  readonly createdAt: Date;
}

/** The address as frozen on an order. */
export type AddressSnapshot = Omit<Address, "id" | "customerId" | "isDefaultShipping" | "isDefaultBilling" | "createdAt">;

/** Copies the postal fields of an address. */
export function snapshotAddress(a: Address): AddressSnapshot {
  return {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
  };
}

/** Postal fields of an address input. */
export const addressFieldsSchema = z.object({
  name: codedString(1, 200, commerceCodes.invalid_address),
  line1: codedString(1, 200, commerceCodes.invalid_address),
  line2: z.string().trim().max(200).nullish(),
  city: codedString(1, 100, commerceCodes.invalid_address),
  region: z.string().trim().toUpperCase().max(100).nullish(),
  postalCode: codedString(1, 20, commerceCodes.invalid_address),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => /^[A-Z]{2}$/.test(v), {
      message: "country must be an ISO 3166-1 alpha-2 code",
      params: { code: commerceCodes.invalid_country },
    }),
  phone: z.string().trim().max(30).nullish(),
});

/** Input of `users.addAddress`. */
export const addAddressSchema = addressFieldsSchema.extend({
  isDefaultShipping: z.boolean().default(false),
  isDefaultBilling: z.boolean().default(false),
});
/** Input of `users.addAddress`, before parsing. */
export type AddAddressInput = z.input<typeof addAddressSchema>;

/** Input of `users.setDefaultAddress`. */
export const setDefaultAddressSchema = z.object({ addressId: refSchema, kind: z.enum(["shipping", "billing"]) });
