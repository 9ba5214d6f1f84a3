import { isCurrencyCode, parse, ValidationError } from "@platform/core";
import {
  fraudRuleInputSchema,
  NUMBER_FIELDS,
  STRING_FIELDS,
  type ConditionValue,
  type FraudAction,
  type FraudCondition,
  type FraudField,
  type FraudOperator,
} from "./fraud-rule.js";
import { paymentsCodes } from "./error-codes.js";

interface Token {
  kind: "word" | "number" | "string" | "op" | "punct" | "list" | "end";
  text: string;
  /** 0-based column in the rule text. */
  position: number;
}

function fail(source: string, token: Token, expected: string): never {
  const shown = token.kind === "end" ? "end of rule" : JSON.stringify(token.text);
  const pointer = `${source}\n${" ".repeat(token.position)}^`;
  throw new ValidationError(
    paymentsCodes.invalid_rule,
    `rule text: expected ${expected} at column ${token.position + 1}, found ${shown}\n${pointer}`,
    {
      issues: [{ path: ["rule"], message: `expected ${expected}, found ${shown}`, code: "invalid_rule" }],
      details: { position: token.position, token: token.kind === "end" ? null : token.text, expected },
    },
  );
}

const ESCAPES: Record<string, string> = { "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The value of a quoted string token. Escapes: `\\ \/ \b \f \n \r \t \uXXXX` and the string's own
 * quote (`\"` in double quotes, `\'` in single quotes); any other is `invalid_rule` at the token.
 */
function unquote(source: string, raw: string, position: number): string {
  const quote = raw[0]!;
  const body = raw.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i] ?? "";
    const simple = Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
    if (e === quote) out += e;
    else if (simple !== undefined) out += simple;
    else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      const expected = `a valid escape in the string (\\${quote} \\\\ \\n \\t \\uXXXX ...), not \\${e === "u" ? body.slice(i, i + 5) : e}`;
      fail(source, { kind: "string", text: raw, position }, expected);
    }
  }
  return out;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(>=|<=|==|!=|>|<|=)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(@[A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.\-:@]*)|([[\],])|(\S))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < source.length && (m = re.exec(source)) !== null) {
    const text = m[0].trimStart();
    const position = m.index + (m[0].length - text.length);
    if (text === "") break;
    if (m[1]) tokens.push({ kind: "op", text: m[1], position });
    else if (m[2]) tokens.push({ kind: "string", text: unquote(source, m[2], position), position });
    else if (m[3]) tokens.push({ kind: "list", text: m[3], position });
    else if (m[4]) tokens.push({ kind: "number", text: m[4], position });
    else if (m[5]) tokens.push({ kind: "word", text: m[5], position });
    else if (m[6]) tokens.push({ kind: "punct", text: m[6], position });
    // A quote the string pattern could not close: stop here. Going on would re-scan the rest of
    // the text from every later quote (quadratic on long escaped text).
    else if (text === '"' || text === "'")
      fail(source, { kind: "punct", text, position }, `a closing ${text} for the string that starts here`);
    // An unknown character becomes a token of its own, so the parser reports it with what it expected there.
    else tokens.push({ kind: "punct", text, position });
  }
  tokens.push({ kind: "end", text: "", position: source.length });
  return tokens;
}

const FIELDS = new Set<string>(["amount", ...STRING_FIELDS, ...NUMBER_FIELDS]);

/** A rule parsed from text, before it is stored. */
export interface ParsedFraudRule {
  action: FraudAction;
  conditions: FraudCondition[];
}

/**
 * Parses rule text into the structured form.
 *
 * Grammar: `<allow|block|review> if <condition> (and <condition>)*`, a condition being
 * `<field> <op> <value>` with op one of `> >= < <= == = !=`, or `<field> [not] in [v1, v2]` /
 * `<field> [not] in @list`. Amounts must carry their currency (`amount > 10000 USD`): a rule in one
 * currency never matches a payment in another.
 * @throws ValidationError `invalid_rule` whose details give `position` (0-based column), `token` and `expected`;
 * for a rule the structured form refuses (a number beyond the float range, a string over 500
 * characters, more than 20 conditions), the structured form's code and field paths.
 * @example
 * ```ts
 * parseFraudRule("review if payments_per_customer_hourly > 5");
 * parseFraudRule("block if amount >= 5000 USD and method == card");
 * ```
 */
export function parseFraudRule(source: string): ParsedFraudRule {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i]!;
  const next = () => tokens[i++]!;

  const actionTok = next();
  const action = actionTok.text.toLowerCase();
  if (actionTok.kind !== "word" || !["allow", "block", "review"].includes(action)) fail(source, actionTok, "allow, block or review");
  const ifTok = next();
  if (ifTok.kind !== "word" || ifTok.text.toLowerCase() !== "if") fail(source, ifTok, '"if"');

  const conditions: FraudCondition[] = [];
  for (;;) {
    conditions.push(parseCondition());
    const t = next();
    if (t.kind === "end") break;
    if (t.kind !== "word" || t.text.toLowerCase() !== "and") fail(source, t, '"and" or end of rule');
  }
  // The limits of the structured form hold for text too, with the same codes: a number that
  // overflows to Infinity (stored as null in JSON), over-long strings, too many conditions.
  return parse(fraudRuleInputSchema.pick({ action: true, conditions: true }), {
    action: action as FraudAction,
    conditions,
  }) as ParsedFraudRule;

  function parseCondition(): FraudCondition {
    const fieldTok = next();
    if (fieldTok.kind !== "word" || !FIELDS.has(fieldTok.text.toLowerCase()))
      fail(source, fieldTok, "a field (amount, currency, country, email, ip, payments_per_customer_hourly ...)");
    const field = fieldTok.text.toLowerCase() as FraudField;
    const opTok = next();
    let operator: FraudOperator;
    if (opTok.kind === "op") operator = (opTok.text === "=" ? "==" : opTok.text) as FraudOperator;
    else if (opTok.kind === "word" && opTok.text.toLowerCase() === "in") operator = "in";
    else if (opTok.kind === "word" && opTok.text.toLowerCase() === "not") {
      const inTok = next();
      if (inTok.kind !== "word" || inTok.text.toLowerCase() !== "in") fail(source, inTok, '"in"');
      operator = "not_in";
    } else return fail(source, opTok, "an operator (> >= < <= == != in, not in)");

    const numeric = field === "amount" || field === "risk_score" || field.startsWith("payments_per_");
    if (operator === "in" || operator === "not_in") {
      if (numeric) fail(source, opTok, "a comparison operator for a numeric field");
      return { field, operator, value: parseSet() };
    }
    const valueTok = next();
    if (numeric) {
      if (!["==", "!=", ">", ">=", "<", "<="].includes(operator)) fail(source, opTok, "a comparison operator");
      if (valueTok.kind !== "number") fail(source, valueTok, "a number");
      if (field === "amount") {
        if (valueTok.text.startsWith("-")) fail(source, valueTok, "a positive amount");
        const cur = peek();
        if (cur.kind === "word" && /^[A-Za-z]{3}$/.test(cur.text) && cur.text.toLowerCase() !== "and") {
          next();
          if (!isCurrencyCode(cur.text.toUpperCase())) fail(source, cur, "an ISO 4217 currency code");
          return { field, operator, value: { kind: "money", amount: valueTok.text, currency: cur.text.toUpperCase() } };
        }
        // Without a currency, "amount > 100" would compare 100 USD with ¥5000: the currency is required.
        return fail(source, valueTok, `an amount with its currency (e.g. ${valueTok.text} USD)`);
      }
      if (field === "risk_score" && (Number(valueTok.text) < 0 || Number(valueTok.text) > 100))
        fail(source, valueTok, "a score between 0 and 100");
      return { field, operator, value: { kind: "number", value: Number(valueTok.text) } };
    }
    if (operator !== "==" && operator !== "!=") fail(source, opTok, "==, !=, in or not in for a text field");
    if (valueTok.kind !== "string" && valueTok.kind !== "word" && valueTok.kind !== "number") fail(source, valueTok, "a value");
    if (field === "currency" && !isCurrencyCode(valueTok.text.toUpperCase())) fail(source, valueTok, "an ISO 4217 currency code");
    return { field, operator, value: { kind: "string", value: valueTok.text } };
  }

  function parseSet(): ConditionValue {
    const t = next();
    if (t.kind === "list") {
      const name = t.text.slice(1).toLowerCase();
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) fail(source, t, "a list name such as @blocked_emails");
      return { kind: "list", list: name };
    }
    if (t.kind !== "punct" || t.text !== "[") fail(source, t, "[ or @list");
    const values: string[] = [];
    for (;;) {
      const v = next();
      if (v.kind !== "string" && v.kind !== "word" && v.kind !== "number") fail(source, v, "a value");
      values.push(v.text);
      const sep = next();
      if (sep.kind === "punct" && sep.text === "]") break;
      if (sep.kind !== "punct" || sep.text !== ",") fail(source, sep, ", or ]");
    }
    return { kind: "values", values };
  }
}
