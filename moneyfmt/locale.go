package moneyfmt

import "golang.org/x/text/language"

// Locale decides which locale an amount is formatted in, from the page's
// language and the order's locale (a BCP 47 tag, "" when there is no order):
//   - the order's full locale when the page speaks the order's language
//     (order de-CH, page de: de-CH);
//   - the page's language with the order's region when the shopper switched
//     language (order de-CH, page fr: fr-CH), so that a Swiss order keeps
//     Swiss number formats in French;
//   - the page's language alone when there is no order, or the order's
//     locale names no region or is not a valid tag.
//
// Only the language and region count: scripts, variants and extensions of
// the order's locale are dropped.
func Locale(page, order string) string {
	pageTag, err := language.Parse(page)
	if err != nil {
		pageTag = language.English
	}
	pageBase, _ := pageTag.Base()
	orderTag, err := language.Parse(order)
	if order == "" || err != nil {
		return pageBase.String()
	}
	region, conf := orderTag.Region()
	if conf != language.Exact {
		return pageBase.String()
	}
	return pageBase.String() + "-" + region.String()
}
