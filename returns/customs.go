package returns

// A parcel needs a customs declaration when it crosses from one customs
// territory into another. The EU customs union is one territory: every member
// of the legal data's "EU" group. The table below holds the countries outside
// that group that share a territory with another country, by treaty.
// Everything else is its own territory (CH, NO, GB, US, ...).

// customsGroup is the group of the legal data whose members form the EU
// customs union.
const customsGroup = "EU"

// customsUnions maps a country to the customs territory it belongs to when
// that is not its own and it is not a member of the EU group.
var customsUnions = map[string]string{
	"LI": "CH", // Liechtenstein: customs treaty with Switzerland (1923)
	"MC": "EU", // Monaco: part of the EU customs territory (via France)
	"SM": "EU", // San Marino: customs union with the EU
	"AD": "AD", // Andorra: customs union with the EU for industrial goods only; declare
	"IM": "GB", // Isle of Man: customs union with the United Kingdom
	"JE": "GB", // Jersey: customs union with the United Kingdom
	"GG": "GB", // Guernsey: customs union with the United Kingdom
}

// CustomsTerritory names the customs territory of a country (ISO 3166-1
// alpha-2): "EU" for the EU customs union, else the territory it shares by
// treaty, else the country itself.
func CustomsTerritory(legal *Legal, country string) string {
	if t, ok := customsUnions[country]; ok {
		return t
	}
	if legal != nil && legal.InGroup(country, customsGroup) {
		return customsGroup
	}
	return country
}

// NeedsCustoms reports whether a parcel from one country to another crosses a
// customs border, i.e. needs a customs declaration.
func NeedsCustoms(legal *Legal, from, to string) bool {
	return CustomsTerritory(legal, from) != CustomsTerritory(legal, to)
}
