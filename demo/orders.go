package demo

import (
	"time"

	"github.com/returns-portal/returns/returns"
)

// Order numbers the README and `make run` point to.
const (
	FeaturedOrder = "DE-1001" // EU, delivered 5 days ago, with a final-sale item
	PartialOrder  = "ES-1008" // 3 units, one already in a return
)

// outsideHolidaySeason moves an order's placing date to the day before the
// demo policy's holiday season when it falls in it, so that the order
// shows a merchant window that has closed whatever the time of year (an
// order placed in the season may be returned until the season's date,
// which would hide the case).
func outsideHolidaySeason(o returns.Order) returns.Order {
	h := Policy().HolidayExtension
	from, err1 := time.Parse("01-02", h.From)
	to, err2 := time.Parse("01-02", h.To)
	if err1 != nil || err2 != nil || from.After(to) {
		panic("demo: the holiday season must be within one year: " + h.From + " to " + h.To)
	}
	p := o.PlacedAt
	start := time.Date(p.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(p.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	if p.Before(start) || !p.Before(end) {
		return o
	}
	o.PlacedAt = start.AddDate(0, 0, -1).Add(12 * time.Hour)
	shipped := o.PlacedAt.Add(24 * time.Hour)
	o.ShippedAt = &shipped
	return o
}

// ReviewEmail is the e-mail of the demo order on the demo policy's block
// list (DE-1023).
const ReviewEmail = "review@example.com"

// TeeProduct is the demo catalog's T-shirt: the featured order's T-shirt
// (M / Blue) may be exchanged for L or S (same price); XL costs more and
// XS is sold out, so neither is offered.
const TeeProduct = "P-TEE"

// Products are the demo catalog for exchanges.
func Products() []returns.Product {
	v := func(sku, size string, eur int64, units int) returns.Variant {
		return returns.Variant{SKU: sku, Title: size + " / Blue", Options: map[string]string{"Size": size, "Color": "Blue"},
			Prices: map[string]int64{"EUR": eur}, Inventory: units}
	}
	return []returns.Product{{ID: TeeProduct, Title: "T-Shirt", Variants: []returns.Variant{
		v("TEE-S-BLU", "S", 2500, 4), v("TEE-M-BLU", "M", 2500, 6), v("TEE-L-BLU", "L", 2500, 3),
		v("TEE-XL-BLU", "XL", 2700, 5), v("TEE-XS-BLU", "XS", 2500, 0)}}}
}

// Orders returns the demo orders, dated relative to now.
func Orders(now time.Time) []returns.Order {
	// order builds an order delivered `delivered` days ago (-1: not yet).
	order := func(number, locale, currency, country, region, name string, delivered int, shipping int64, lines ...returns.Line) returns.Order {
		// Days are counted on the calendar of the order's zone, where its
		// windows are counted: `days` times 24 hours back can land on the
		// day after when a change of clocks lies between (the US order's
		// "day 45" was day 44 for an hour each night after the change).
		loc, _ := returns.ZoneFor(country, region)
		ago := func(days int) *time.Time {
			local := now.In(loc)
			t := time.Date(local.Year(), local.Month(), local.Day()-days, local.Hour(), local.Minute(), local.Second(), 0, loc).
				UTC().Truncate(time.Second)
			return &t
		}
		placedDays := delivered + 3
		if delivered < 0 {
			placedDays = 2
		}
		o := returns.Order{
			Number: number, Email: Email, CustomerName: name, Locale: locale, Currency: currency,
			PlacedAt:        *ago(placedDays),
			ShippingAddress: returns.Address{Name: name, Line1: "Demo Street 1", City: "Demo City", PostalCode: "12345", Region: region, Country: country},
			Shipping:        returns.Shipping{Amount: shipping, Method: "standard"},
			Payment:         returns.Payment{Method: "card", Provider: "stripe", Reference: "pi_demo_" + number},
			Lines:           lines,
		}
		o.ShippedAt = ago(placedDays - 1)
		if delivered >= 0 {
			o.DeliveredAt = ago(delivered)
		}
		return o
	}
	// line builds an order line; hsCode is the goods' HS 2022 subheading
	// (returns/hs/headings.csv names its heading).
	line := func(id, sku, name string, qty int, unit, discount int64, category, hsCode string) returns.Line {
		return returns.Line{ID: id, SKU: sku, Name: name, Quantity: qty, UnitPrice: unit, Discount: discount,
			Category: category, HSCode: hsCode, OriginCountry: "PT", WeightGrams: 300}
	}
	// goods sets where an item was made and what one unit weighs.
	goods := func(l returns.Line, origin string, grams int) returns.Line {
		l.OriginCountry, l.WeightGrams = origin, grams
		return l
	}
	// described gives a line the shop's own English description for customs.
	described := func(l returns.Line, customs string) returns.Line { l.CustomsDescription = customs; return l }
	finalSale := func(l returns.Line) returns.Line { l.FinalSale = true; return l }
	exempt := func(l returns.Line, class string) returns.Line { l.Exemption = class; return l }
	// ofProduct names the catalog's product of a line: it may be exchanged
	// for another variant (Products).
	ofProduct := func(l returns.Line, id string) returns.Line { l.ProductID = id; return l }

	orders := []returns.Order{
		order(FeaturedOrder, "de-DE", "EUR", "DE", "", "Anna Schmidt", 5, 495,
			ofProduct(line("L1", "TEE-M-BLU", "T-Shirt", 2, 2500, 500, "apparel", "610910"), TeeProduct),
			finalSale(line("L2", "JKT-L-GRN", "Jacke (Sale)", 1, 8900, 0, "apparel", "620140")),
			line("L3", "GIFT-50", "Geschenkkarte 50 €", 1, 5000, 0, "gift_card", "491199")),
		outsideHolidaySeason(order("IT-1002", "it-IT", "EUR", "IT", "", "Giulia Rossi", 12, 590,
			line("L1", "DRS-S-RED", "Vestito", 1, 12900, 0, "apparel", "620442"))),
		order("PT-1003", "pt-PT", "EUR", "PT", "", "Ana Silva", 4, 495,
			exempt(line("L1", "MUG-ENGR", "Caneca gravada", 1, 1900, 0, "home", "691200"), "personalised"),
			line("L2", "TEE-S-WHT", "T-shirt", 1, 2500, 0, "apparel", "610910")),
		order("NL-1004", "nl-NL", "EUR", "NL", "", "Sanne de Vries", 3, 0,
			exempt(line("L1", "CHOC-BOX", "Chocoladedoos", 2, 1500, 0, "food", "180690"), "perishable"),
			exempt(line("L2", "LIP-BALM", "Lippenbalsem (verzegeld)", 1, 900, 0, "beauty", "330410"), "hygiene_sealed")),
		outsideHolidaySeason(order("US-1005", "en-US", "USD", "US", "CA", "Jordan Lee", 45, 0,
			line("L1", "SNK-10", "Sneakers", 1, 12000, 0, "shoes", "640411"),
			line("L2", "SOCK-3", "Socks 3-pack", 2, 1500, 0, "apparel", "611595"))),
		order("JP-1006", "ja-JP", "JPY", "JP", "", "佐藤 花子", 6, 800,
			described(line("L1", "BAG-TOTE", "トートバッグ", 1, 12345, 0, "bags", "420222"), "Tote bag, cotton canvas"),
			line("L2", "TEE-M-BLK", "Tシャツ", 3, 3300, 0, "apparel", "610910")),
		order("KW-1007", "ar-KW", "KWD", "KW", "", "فاطمة العلي", 8, 2500,
			described(goods(line("L1", "ABY-M", "عباية", 1, 45750, 0, "apparel", "620443"), "PT", 700),
				"Women's abaya (long robe), polyester"),
			line("L2", "SCF-1", "وشاح", 3, 12125, 375, "apparel", "621430")),
		order(PartialOrder, "es-ES", "EUR", "ES", "", "Lucía García", 7, 495,
			line("L1", "TEE-3PK", "Camiseta", 3, 1000, 0, "apparel", "610910")),
		order("IE-1009", "en-IE", "EUR", "IE", "", "Siobhán Murphy", -1, 495,
			line("L1", "HAT-1", "Wool hat", 1, 3500, 0, "accessories", "650500")),
		order("CH-1011", "de-CH", "CHF", "CH", "", "Lukas Meier", 6, 900,
			goods(line("L1", "WTCH-1", "Uhr", 1, 24900, 0, "accessories", "910211"), "CH", 150)),
		order("GB-1012", "en-GB", "GBP", "GB", "", "Oliver Smith", 10, 395,
			line("L1", "CSH-1", "Cushion", 2, 2200, 0, "home", "940490")),
		// Past both windows (the law's 14 days, the shop's 30), within the
		// 24-month faulty-goods period: returnable only if faulty, because
		// the window closed (not a final sale: that would be another case).
		outsideHolidaySeason(order("FR-1013", "fr-FR", "EUR", "FR", "", "Camille Martin", 60, 495,
			line("L1", "SHO-38", "Chaussures", 1, 7900, 0, "shoes", "640399"))),
		order("AU-1014", "en-AU", "AUD", "AU", "NSW", "Charlotte Wilson", 20, 1000,
			line("L1", "SUN-1", "Sunglasses", 1, 15900, 0, "accessories", "900410")),
		order("SA-1015", "ar-SA", "SAR", "SA", "", "محمد القحطاني", 5, 2500,
			line("L1", "THB-1", "ثوب", 2, 18000, 0, "apparel", "621132")),
		order("MX-1016", "es-MX", "MXN", "MX", "", "Sofía Hernández", 6, 9900,
			line("L1", "JNS-32", "Jeans", 1, 89900, 0, "apparel", "620342")),
		order("KR-1017", "ko-KR", "KRW", "KR", "", "김민준", 5, 3000,
			line("L1", "GAME-1", "게임 (밀봉)", 1, 59000, 0, "media", "852349")),
		order("BR-1018", "pt-BR", "BRL", "BR", "", "Pedro Santos", 5, 1990,
			line("L1", "TEN-1", "Tênis", 1, 29990, 0, "shoes", "640411")),
		order("DE-1019", "de-DE", "EUR", "DE", "", "Max Müller", 40, 495,
			line("L1", "LAMP-1", "Lampe", 1, 4900, 0, "home", "940521")),
		order("GR-1021", "el-GR", "EUR", "GR", "", "Γιώργος Παπαδόπουλος", 9, 495,
			line("L1", "OIL-1", "Ελαιόλαδο δώρου", 1, 2400, 0, "home", "150920")),
		order("US-1020", "en-US", "USD", "US", "NY", "Emily Chen", 75, 595,
			line("L1", "BAG-1", "Backpack", 1, 7900, 0, "bags", "420292")),
	}
	// Socks under 15 €: the shopper keeps them (the policy's returnless
	// rule) and is refunded at once.
	orders = append(orders, order("DE-1022", "de-DE", "EUR", "DE", "", "Jonas Weber", 4, 495,
		line("L1", "SOCK-WOOL", "Wollsocken", 1, 900, 0, "socks", "611595")))
	// An address on the merchant's block list (review_rules): the return
	// waits for staff, who see the rule.
	blocked := order("DE-1023", "de-DE", "EUR", "DE", "", "Eva Braun", 4, 495,
		line("L1", "LAMP-2", "Stehlampe", 1, 12900, 0, "home", "940521"))
	blocked.Email = ReviewEmail
	orders = append(orders, blocked)
	// A gift: the shopper who returns it is not the one who paid.
	gift := order("DE-1010", "de-DE", "EUR", "DE", "", "Paul Becker", 2, 495,
		line("L1", "SCARF-1", "Schal", 1, 3900, 0, "accessories", "611710"))
	gift.Gift = true
	orders = append(orders, gift)
	// Latin forms of the addresses that the labels cannot print as they are
	// (Arabic needs shaping; the fonts have no Hangul) or that carriers
	// abroad read better in Latin (Japanese).
	for i := range orders {
		switch orders[i].ShippingAddress.Country {
		case "JP":
			orders[i].ShippingAddress = returns.Address{Name: "佐藤 花子", Line1: "渋谷区神南1-2-3", City: "東京都", PostalCode: "150-0041", Country: "JP",
				Latin: &returns.LatinAddress{Name: "Hanako Sato", Line1: "1-2-3 Jinnan, Shibuya-ku", City: "Tokyo"}}
		case "KW":
			orders[i].ShippingAddress.Latin = &returns.LatinAddress{Name: "Fatima Al-Ali", Line1: "Block 3, Street 12", City: "Kuwait City"}
		case "SA":
			orders[i].ShippingAddress.Latin = &returns.LatinAddress{Name: "Mohammed Al-Qahtani", Line1: "King Fahd Road 100", City: "Riyadh"}
		case "KR":
			orders[i].ShippingAddress.Latin = &returns.LatinAddress{Name: "Kim Min-jun", Line1: "Demo Street 1", City: "Demo City"}
		}
	}
	return orders
}
