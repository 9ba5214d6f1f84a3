import { Decimal as DecimalJs } from "decimal.js";

/**
 * The SDK's own decimal.js constructor: 60 significant digits (far beyond any real
 * amount, so intermediate products never round) and plain notation for strings.
 * A private clone, so host apps that configure the global Decimal cannot change our maths.
 */
export const Decimal = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
/** A decimal.js value of the SDK's constructor. */
export type Decimal = DecimalJs;
/** Anything decimal.js accepts as a value. */
export type DecimalValue = DecimalJs.Value;

/** Explicit rounding modes for operations that may leave the currency's scale. */
export type RoundingMode = "half_even" | "half_up" | "half_down" | "up" | "down" | "ceil" | "floor";

const MODES: Record<RoundingMode, DecimalJs.Rounding> = {
  half_even: DecimalJs.ROUND_HALF_EVEN,
  half_up: DecimalJs.ROUND_HALF_UP,
  half_down: DecimalJs.ROUND_HALF_DOWN,
  up: DecimalJs.ROUND_UP,
  down: DecimalJs.ROUND_DOWN,
  ceil: DecimalJs.ROUND_CEIL,
  floor: DecimalJs.ROUND_FLOOR,
};

/** The decimal.js constant for a rounding mode. */
export function decimalRounding(mode: RoundingMode): DecimalJs.Rounding {
  return MODES[mode];
}

/**
 * The default rounding mode: half-even ("banker's rounding"), which does not bias
 * sums of many rounded values upwards. Pass `"half_up"` where a tax authority asks for it.
 */
export const DEFAULT_ROUNDING: RoundingMode = "half_even";
