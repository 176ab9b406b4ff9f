// The oracle of moneyfmt's tests: ICU, as Node's Intl.NumberFormat renders
// money. Reads a JSON array of {locale, currency, amount} (amount: an exact
// decimal string, never a float) on stdin; writes {versions, results}, one
// formatted string per case, in order.
//
// One deliberate difference: the portal never rounds money it shows. When
// an amount has non-zero decimals beyond those CLDR shows for its currency
// (1234.50 HUF: CLDR shows HUF without decimals, ISO 4217 keeps 2), ICU is
// asked for all of the amount's decimals ("1.234,50 HUF", not "1.235 HUF").
"use strict";
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const formatters = new Map();
  const formatter = (locale, currency, decimals) => {
    const key = locale + "|" + currency + "|" + decimals;
    let f = formatters.get(key);
    if (!f) {
      const options = { style: "currency", currency };
      if (decimals !== undefined) {
        options.minimumFractionDigits = decimals;
        options.maximumFractionDigits = decimals;
      }
      f = new Intl.NumberFormat(locale, options);
      formatters.set(key, f);
    }
    return f;
  };
  const results = cases.map(({ locale, currency, amount }) => {
    let f = formatter(locale, currency);
    const decimals = (amount.split(".")[1] || "");
    const shown = f.resolvedOptions().maximumFractionDigits;
    if (/[1-9]/.test(decimals.slice(shown))) {
      f = formatter(locale, currency, decimals.length); // would round: all decimals
    }
    return f.format(amount); // a string keeps every digit (Intl.NumberFormat v3)
  });
  const { node, icu, cldr, unicode } = process.versions;
  process.stdout.write(JSON.stringify({ versions: { node, icu, cldr, unicode }, results }));
});
