// Money in @platform/core: exact decimals, currency-aware, no lost cents.
import { Money, PlatformError } from "@platform/core";

const laptop = Money.of("999.99", "USD");
const mouse = Money.of("29.99", "USD");
const total = laptop.add(mouse.times(2));
console.log(`Cart total:        ${total.format("en-US")}  (${JSON.stringify(total)})`);
console.log(`0.1 + 0.2 =        ${Money.of("0.1", "USD").add(Money.of("0.2", "USD")).toFixed()}`);
console.log(`Sales tax 8.875%:  ${total.percentage("8.875").format("en-US")} (half-even)`);

const shares = Money.of("100.00", "USD").allocate([1, 1, 1]);
console.log(`$100 split 3 ways: ${shares.map((s) => s.format("en-US")).join(" + ")} = ${Money.sum(shares, "USD").format("en-US")}`);
const fee = Money.of("10.00", "EUR").allocate([70, 20, 10]);
console.log(`€10 split 70/20/10: ${fee.map((s) => s.format("de-DE")).join(", ")}`);

console.log(
  `Formatting:        ${Money.of("1234.5", "EUR").format("de-DE")} | ${Money.of("1234", "JPY").format("ja-JP")} | ${Money.of("1.234", "KWD").format("en-US")}`,
);

for (const attempt of [() => Money.of("1.001", "USD"), () => Money.of("5", "XYZ"), () => laptop.add(Money.of("1", "EUR"))]) {
  try {
    attempt();
  } catch (e) {
    if (PlatformError.is(e)) console.log(`Rejected:          ${e.code} (${e.message})`);
  }
}
