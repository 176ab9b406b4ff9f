// Writes cldr-dates.json: the long date format, the day and month without a
// year, and the (stand-alone, wide) month names of the portal's six
// languages as CLDR has them, through
// Node's Intl.DateTimeFormat (ICU). The portal writes dates with its own code and
// month names from locales/; TestMonthNamesMatchCLDR (locales) and
// TestFormatDateMatchesCLDR (handlers) compare them with this file.
//
//   node locales/testdata/cldr-dates.mjs > locales/testdata/cldr-dates.json
//
// English is British English (19 November 2026, the order the portal uses);
// Arabic keeps Latin digits (the portal's numbers are Latin everywhere).
const languages = { en: "en-GB", de: "de", fr: "fr", es: "es", ja: "ja", ar: "ar-u-nu-latn" };
const out = {
  generator: "locales/testdata/cldr-dates.mjs",
  node: process.version,
  icu: process.versions.icu,
  cldr: process.versions.cldr,
  languages: {},
};
for (const [lang, locale] of Object.entries(languages)) {
  const long = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const month = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", timeZone: "UTC" });
  const months = [];
  const dates = [];
  const days = [];
  for (let m = 0; m < 12; m++) {
    const d = new Date(Date.UTC(2026, m, 19));
    months.push(month.format(d));
    dates.push({ date: d.toISOString().slice(0, 10), text: long.format(d) });
    days.push({ date: d.toISOString().slice(0, 10), text: dayMonth.format(d) });
  }
  out.languages[lang] = { locale, months, dates, days };
}
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
