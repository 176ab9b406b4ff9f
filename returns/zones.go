package returns

import (
	"sync"
	"time"
	_ "time/tzdata" // zones load on machines without a tz database
)

// Days are counted on local dates in the shopper's time zone. A country maps
// to one IANA zone; where it spans several, the subdivision (ISO 3166-2 code
// without the country prefix) decides when it is known (regionZones), else the
// country's most generous zone (countryZones): the one whose clock is furthest
// behind UTC (compared on the larger of the winter and summer offsets, so a
// zone without summer time beats one with the same standard offset), i.e.
// the "westernmost" zone, on which a local date ends last. Ties keep the
// principal zone. Uninhabited territories without a zone of their own use a
// neighbouring one (HM) or UTC (BV).

// countryZones maps every ISO 3166-1 alpha-2 code to its zone. Generated from
// the tz database's zone.tab and iso3166.tab (2026). China uses Beijing time
// nationwide by law, so Asia/Shanghai rather than the unofficial Xinjiang time.
var countryZones = map[string]string{
	"AD": "Europe/Andorra",                 // Andorra
	"AE": "Asia/Dubai",                     // United Arab Emirates
	"AF": "Asia/Kabul",                     // Afghanistan
	"AG": "America/Antigua",                // Antigua & Barbuda
	"AI": "America/Anguilla",               // Anguilla
	"AL": "Europe/Tirane",                  // Albania
	"AM": "Asia/Yerevan",                   // Armenia
	"AO": "Africa/Luanda",                  // Angola
	"AQ": "Antarctica/Palmer",              // Antarctica (10 zones)
	"AR": "America/Argentina/Buenos_Aires", // Argentina (12 zones)
	"AS": "Pacific/Pago_Pago",              // Samoa (American)
	"AT": "Europe/Vienna",                  // Austria
	"AU": "Australia/Perth",                // Australia (12 zones)
	"AW": "America/Aruba",                  // Aruba
	"AX": "Europe/Mariehamn",               // Åland Islands
	"AZ": "Asia/Baku",                      // Azerbaijan
	"BA": "Europe/Sarajevo",                // Bosnia & Herzegovina
	"BB": "America/Barbados",               // Barbados
	"BD": "Asia/Dhaka",                     // Bangladesh
	"BE": "Europe/Brussels",                // Belgium
	"BF": "Africa/Ouagadougou",             // Burkina Faso
	"BG": "Europe/Sofia",                   // Bulgaria
	"BH": "Asia/Bahrain",                   // Bahrain
	"BI": "Africa/Bujumbura",               // Burundi
	"BJ": "Africa/Porto-Novo",              // Benin
	"BL": "America/St_Barthelemy",          // St Barthelemy
	"BM": "Atlantic/Bermuda",               // Bermuda
	"BN": "Asia/Brunei",                    // Brunei
	"BO": "America/La_Paz",                 // Bolivia
	"BQ": "America/Kralendijk",             // Caribbean NL
	"BR": "America/Eirunepe",               // Brazil (16 zones)
	"BS": "America/Nassau",                 // Bahamas
	"BT": "Asia/Thimphu",                   // Bhutan
	"BV": "Etc/UTC",                        // Bouvet Island
	"BW": "Africa/Gaborone",                // Botswana
	"BY": "Europe/Minsk",                   // Belarus
	"BZ": "America/Belize",                 // Belize
	"CA": "America/Vancouver",              // Canada (23 zones)
	"CC": "Indian/Cocos",                   // Cocos (Keeling) Islands
	"CD": "Africa/Kinshasa",                // Congo (Dem. Rep.) (2 zones)
	"CF": "Africa/Bangui",                  // Central African Rep.
	"CG": "Africa/Brazzaville",             // Congo (Rep.)
	"CH": "Europe/Zurich",                  // Switzerland
	"CI": "Africa/Abidjan",                 // Côte d'Ivoire
	"CK": "Pacific/Rarotonga",              // Cook Islands
	"CL": "Pacific/Easter",                 // Chile (4 zones)
	"CM": "Africa/Douala",                  // Cameroon
	"CN": "Asia/Shanghai",                  // China: one official time (Beijing) nationwide
	"CO": "America/Bogota",                 // Colombia
	"CR": "America/Costa_Rica",             // Costa Rica
	"CU": "America/Havana",                 // Cuba
	"CV": "Atlantic/Cape_Verde",            // Cape Verde
	"CW": "America/Curacao",                // Curaçao
	"CX": "Indian/Christmas",               // Christmas Island
	"CY": "Asia/Nicosia",                   // Cyprus (2 zones)
	"CZ": "Europe/Prague",                  // Czech Republic
	"DE": "Europe/Berlin",                  // Germany (2 zones)
	"DJ": "Africa/Djibouti",                // Djibouti
	"DK": "Europe/Copenhagen",              // Denmark
	"DM": "America/Dominica",               // Dominica
	"DO": "America/Santo_Domingo",          // Dominican Republic
	"DZ": "Africa/Algiers",                 // Algeria
	"EC": "Pacific/Galapagos",              // Ecuador (2 zones)
	"EE": "Europe/Tallinn",                 // Estonia
	"EG": "Africa/Cairo",                   // Egypt
	"EH": "Africa/El_Aaiun",                // Western Sahara
	"ER": "Africa/Asmara",                  // Eritrea
	"ES": "Atlantic/Canary",                // Spain (3 zones)
	"ET": "Africa/Addis_Ababa",             // Ethiopia
	"FI": "Europe/Helsinki",                // Finland
	"FJ": "Pacific/Fiji",                   // Fiji
	"FK": "Atlantic/Stanley",               // Falkland Islands
	"FM": "Pacific/Chuuk",                  // Micronesia (3 zones)
	"FO": "Atlantic/Faroe",                 // Faroe Islands
	"FR": "Europe/Paris",                   // France
	"GA": "Africa/Libreville",              // Gabon
	"GB": "Europe/London",                  // Britain (UK)
	"GD": "America/Grenada",                // Grenada
	"GE": "Asia/Tbilisi",                   // Georgia
	"GF": "America/Cayenne",                // French Guiana
	"GG": "Europe/Guernsey",                // Guernsey
	"GH": "Africa/Accra",                   // Ghana
	"GI": "Europe/Gibraltar",               // Gibraltar
	"GL": "America/Thule",                  // Greenland (4 zones)
	"GM": "Africa/Banjul",                  // Gambia
	"GN": "Africa/Conakry",                 // Guinea
	"GP": "America/Guadeloupe",             // Guadeloupe
	"GQ": "Africa/Malabo",                  // Equatorial Guinea
	"GR": "Europe/Athens",                  // Greece
	"GS": "Atlantic/South_Georgia",         // South Georgia & the South Sandwich Islands
	"GT": "America/Guatemala",              // Guatemala
	"GU": "Pacific/Guam",                   // Guam
	"GW": "Africa/Bissau",                  // Guinea-Bissau
	"GY": "America/Guyana",                 // Guyana
	"HK": "Asia/Hong_Kong",                 // Hong Kong
	"HM": "Indian/Kerguelen",               // Heard Island & McDonald Islands
	"HN": "America/Tegucigalpa",            // Honduras
	"HR": "Europe/Zagreb",                  // Croatia
	"HT": "America/Port-au-Prince",         // Haiti
	"HU": "Europe/Budapest",                // Hungary
	"ID": "Asia/Jakarta",                   // Indonesia (4 zones)
	"IE": "Europe/Dublin",                  // Ireland
	"IL": "Asia/Jerusalem",                 // Israel
	"IM": "Europe/Isle_of_Man",             // Isle of Man
	"IN": "Asia/Kolkata",                   // India
	"IO": "Indian/Chagos",                  // British Indian Ocean Territory
	"IQ": "Asia/Baghdad",                   // Iraq
	"IR": "Asia/Tehran",                    // Iran
	"IS": "Atlantic/Reykjavik",             // Iceland
	"IT": "Europe/Rome",                    // Italy
	"JE": "Europe/Jersey",                  // Jersey
	"JM": "America/Jamaica",                // Jamaica
	"JO": "Asia/Amman",                     // Jordan
	"JP": "Asia/Tokyo",                     // Japan
	"KE": "Africa/Nairobi",                 // Kenya
	"KG": "Asia/Bishkek",                   // Kyrgyzstan
	"KH": "Asia/Phnom_Penh",                // Cambodia
	"KI": "Pacific/Tarawa",                 // Kiribati (3 zones)
	"KM": "Indian/Comoro",                  // Comoros
	"KN": "America/St_Kitts",               // St Kitts & Nevis
	"KP": "Asia/Pyongyang",                 // Korea (North)
	"KR": "Asia/Seoul",                     // Korea (South)
	"KW": "Asia/Kuwait",                    // Kuwait
	"KY": "America/Cayman",                 // Cayman Islands
	"KZ": "Asia/Almaty",                    // Kazakhstan (7 zones)
	"LA": "Asia/Vientiane",                 // Laos
	"LB": "Asia/Beirut",                    // Lebanon
	"LC": "America/St_Lucia",               // St Lucia
	"LI": "Europe/Vaduz",                   // Liechtenstein
	"LK": "Asia/Colombo",                   // Sri Lanka
	"LR": "Africa/Monrovia",                // Liberia
	"LS": "Africa/Maseru",                  // Lesotho
	"LT": "Europe/Vilnius",                 // Lithuania
	"LU": "Europe/Luxembourg",              // Luxembourg
	"LV": "Europe/Riga",                    // Latvia
	"LY": "Africa/Tripoli",                 // Libya
	"MA": "Africa/Casablanca",              // Morocco
	"MC": "Europe/Monaco",                  // Monaco
	"MD": "Europe/Chisinau",                // Moldova
	"ME": "Europe/Podgorica",               // Montenegro
	"MF": "America/Marigot",                // St Martin (French)
	"MG": "Indian/Antananarivo",            // Madagascar
	"MH": "Pacific/Majuro",                 // Marshall Islands (2 zones)
	"MK": "Europe/Skopje",                  // North Macedonia
	"ML": "Africa/Bamako",                  // Mali
	"MM": "Asia/Yangon",                    // Myanmar (Burma)
	"MN": "Asia/Hovd",                      // Mongolia (2 zones)
	"MO": "Asia/Macau",                     // Macau
	"MP": "Pacific/Saipan",                 // Northern Mariana Islands
	"MQ": "America/Martinique",             // Martinique
	"MR": "Africa/Nouakchott",              // Mauritania
	"MS": "America/Montserrat",             // Montserrat
	"MT": "Europe/Malta",                   // Malta
	"MU": "Indian/Mauritius",               // Mauritius
	"MV": "Indian/Maldives",                // Maldives
	"MW": "Africa/Blantyre",                // Malawi
	"MX": "America/Tijuana",                // Mexico (12 zones)
	"MY": "Asia/Kuala_Lumpur",              // Malaysia (2 zones)
	"MZ": "Africa/Maputo",                  // Mozambique
	"NA": "Africa/Windhoek",                // Namibia
	"NC": "Pacific/Noumea",                 // New Caledonia
	"NE": "Africa/Niamey",                  // Niger
	"NF": "Pacific/Norfolk",                // Norfolk Island
	"NG": "Africa/Lagos",                   // Nigeria
	"NI": "America/Managua",                // Nicaragua
	"NL": "Europe/Amsterdam",               // Netherlands
	"NO": "Europe/Oslo",                    // Norway
	"NP": "Asia/Kathmandu",                 // Nepal
	"NR": "Pacific/Nauru",                  // Nauru
	"NU": "Pacific/Niue",                   // Niue
	"NZ": "Pacific/Auckland",               // New Zealand (2 zones)
	"OM": "Asia/Muscat",                    // Oman
	"PA": "America/Panama",                 // Panama
	"PE": "America/Lima",                   // Peru
	"PF": "Pacific/Tahiti",                 // French Polynesia (3 zones)
	"PG": "Pacific/Port_Moresby",           // Papua New Guinea (2 zones)
	"PH": "Asia/Manila",                    // Philippines
	"PK": "Asia/Karachi",                   // Pakistan
	"PL": "Europe/Warsaw",                  // Poland
	"PM": "America/Miquelon",               // St Pierre & Miquelon
	"PN": "Pacific/Pitcairn",               // Pitcairn
	"PR": "America/Puerto_Rico",            // Puerto Rico
	"PS": "Asia/Gaza",                      // Palestine (2 zones)
	"PT": "Atlantic/Azores",                // Portugal (3 zones)
	"PW": "Pacific/Palau",                  // Palau
	"PY": "America/Asuncion",               // Paraguay
	"QA": "Asia/Qatar",                     // Qatar
	"RE": "Indian/Reunion",                 // Réunion
	"RO": "Europe/Bucharest",               // Romania
	"RS": "Europe/Belgrade",                // Serbia
	"RU": "Europe/Kaliningrad",             // Russia (26 zones)
	"RW": "Africa/Kigali",                  // Rwanda
	"SA": "Asia/Riyadh",                    // Saudi Arabia
	"SB": "Pacific/Guadalcanal",            // Solomon Islands
	"SC": "Indian/Mahe",                    // Seychelles
	"SD": "Africa/Khartoum",                // Sudan
	"SE": "Europe/Stockholm",               // Sweden
	"SG": "Asia/Singapore",                 // Singapore
	"SH": "Atlantic/St_Helena",             // St Helena
	"SI": "Europe/Ljubljana",               // Slovenia
	"SJ": "Arctic/Longyearbyen",            // Svalbard & Jan Mayen
	"SK": "Europe/Bratislava",              // Slovakia
	"SL": "Africa/Freetown",                // Sierra Leone
	"SM": "Europe/San_Marino",              // San Marino
	"SN": "Africa/Dakar",                   // Senegal
	"SO": "Africa/Mogadishu",               // Somalia
	"SR": "America/Paramaribo",             // Suriname
	"SS": "Africa/Juba",                    // South Sudan
	"ST": "Africa/Sao_Tome",                // Sao Tome & Principe
	"SV": "America/El_Salvador",            // El Salvador
	"SX": "America/Lower_Princes",          // St Maarten (Dutch)
	"SY": "Asia/Damascus",                  // Syria
	"SZ": "Africa/Mbabane",                 // Eswatini (Swaziland)
	"TC": "America/Grand_Turk",             // Turks & Caicos Is
	"TD": "Africa/Ndjamena",                // Chad
	"TF": "Indian/Kerguelen",               // French S. Terr.
	"TG": "Africa/Lome",                    // Togo
	"TH": "Asia/Bangkok",                   // Thailand
	"TJ": "Asia/Dushanbe",                  // Tajikistan
	"TK": "Pacific/Fakaofo",                // Tokelau
	"TL": "Asia/Dili",                      // East Timor
	"TM": "Asia/Ashgabat",                  // Turkmenistan
	"TN": "Africa/Tunis",                   // Tunisia
	"TO": "Pacific/Tongatapu",              // Tonga
	"TR": "Europe/Istanbul",                // Turkey
	"TT": "America/Port_of_Spain",          // Trinidad & Tobago
	"TV": "Pacific/Funafuti",               // Tuvalu
	"TW": "Asia/Taipei",                    // Taiwan
	"TZ": "Africa/Dar_es_Salaam",           // Tanzania
	"UA": "Europe/Kyiv",                    // Ukraine (2 zones)
	"UG": "Africa/Kampala",                 // Uganda
	"UM": "Pacific/Midway",                 // US minor outlying islands (2 zones)
	"US": "Pacific/Honolulu",               // United States (29 zones)
	"UY": "America/Montevideo",             // Uruguay
	"UZ": "Asia/Tashkent",                  // Uzbekistan (2 zones, same time)
	"VA": "Europe/Vatican",                 // Vatican City
	"VC": "America/St_Vincent",             // St Vincent
	"VE": "America/Caracas",                // Venezuela
	"VG": "America/Tortola",                // Virgin Islands (UK)
	"VI": "America/St_Thomas",              // Virgin Islands (US)
	"VN": "Asia/Ho_Chi_Minh",               // Vietnam
	"VU": "Pacific/Efate",                  // Vanuatu
	"WF": "Pacific/Wallis",                 // Wallis & Futuna
	"WS": "Pacific/Apia",                   // Samoa (western)
	"YE": "Asia/Aden",                      // Yemen
	"YT": "Indian/Mayotte",                 // Mayotte
	"ZA": "Africa/Johannesburg",            // South Africa
	"ZM": "Africa/Lusaka",                  // Zambia
	"ZW": "Africa/Harare",                  // Zimbabwe
}

// regionZones maps subdivisions of countries that span zones to the zone of
// the subdivision's capital (a region that itself spans zones, such as Texas
// or Florida, is counted in its capital's zone). A region not listed falls
// back to regionDefaults, else to the country's zone.
var regionZones = map[string]map[string]string{
	"US": {
		"AL": "America/Chicago", "AK": "America/Juneau", "AZ": "America/Phoenix",
		"AR": "America/Chicago", "CA": "America/Los_Angeles", "CO": "America/Denver",
		"CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York",
		"FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
		"ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis",
		"IA": "America/Chicago", "KS": "America/Chicago", "KY": "America/New_York",
		"LA": "America/Chicago", "ME": "America/New_York", "MD": "America/New_York",
		"MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
		"MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver",
		"NE": "America/Chicago", "NV": "America/Los_Angeles", "NH": "America/New_York",
		"NJ": "America/New_York", "NM": "America/Denver", "NY": "America/New_York",
		"NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
		"OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York",
		"RI": "America/New_York", "SC": "America/New_York", "SD": "America/Chicago",
		"TN": "America/Chicago", "TX": "America/Chicago", "UT": "America/Denver",
		"VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
		"WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
		// Outlying areas, which also have ISO 3166-1 codes of their own.
		"AS": "Pacific/Pago_Pago", "GU": "Pacific/Guam", "MP": "Pacific/Saipan",
		"PR": "America/Puerto_Rico", "VI": "America/St_Thomas", "UM": "Pacific/Midway",
	},
	"CA": {
		"AB": "America/Edmonton", "BC": "America/Vancouver", "MB": "America/Winnipeg",
		"NB": "America/Moncton", "NL": "America/St_Johns", "NS": "America/Halifax",
		"NT": "America/Edmonton", "NU": "America/Iqaluit", "ON": "America/Toronto",
		"PE": "America/Halifax", "QC": "America/Toronto", "SK": "America/Regina",
		"YT": "America/Whitehorse",
	},
	"AU": {
		"ACT": "Australia/Sydney", "NSW": "Australia/Sydney", "NT": "Australia/Darwin",
		"QLD": "Australia/Brisbane", "SA": "Australia/Adelaide", "TAS": "Australia/Hobart",
		"VIC": "Australia/Melbourne", "WA": "Australia/Perth",
	},
	"BR": {
		"AC": "America/Rio_Branco", "AL": "America/Maceio", "AP": "America/Belem",
		"AM": "America/Manaus", "BA": "America/Bahia", "CE": "America/Fortaleza",
		"DF": "America/Sao_Paulo", "ES": "America/Sao_Paulo", "GO": "America/Sao_Paulo",
		"MA": "America/Fortaleza", "MT": "America/Cuiaba", "MS": "America/Campo_Grande",
		"MG": "America/Sao_Paulo", "PA": "America/Belem", "PB": "America/Fortaleza",
		"PR": "America/Sao_Paulo", "PE": "America/Recife", "PI": "America/Fortaleza",
		"RJ": "America/Sao_Paulo", "RN": "America/Fortaleza", "RS": "America/Sao_Paulo",
		"RO": "America/Porto_Velho", "RR": "America/Boa_Vista", "SC": "America/Sao_Paulo",
		"SP": "America/Sao_Paulo", "SE": "America/Maceio", "TO": "America/Araguaina",
	},
	"MX": {
		"AGU": "America/Mexico_City", "BCN": "America/Tijuana", "BCS": "America/Mazatlan",
		"CAM": "America/Merida", "CHP": "America/Mexico_City", "CHH": "America/Chihuahua",
		"CMX": "America/Mexico_City", "COA": "America/Monterrey", "COL": "America/Mexico_City",
		"DUR": "America/Monterrey", "GUA": "America/Mexico_City", "GRO": "America/Mexico_City",
		"HID": "America/Mexico_City", "JAL": "America/Mexico_City", "MEX": "America/Mexico_City",
		"MIC": "America/Mexico_City", "MOR": "America/Mexico_City", "NAY": "America/Mazatlan",
		"NLE": "America/Monterrey", "OAX": "America/Mexico_City", "PUE": "America/Mexico_City",
		"QUE": "America/Mexico_City", "ROO": "America/Cancun", "SLP": "America/Mexico_City",
		"SIN": "America/Mazatlan", "SON": "America/Hermosillo", "TAB": "America/Mexico_City",
		"TAM": "America/Monterrey", "TLA": "America/Mexico_City", "VER": "America/Mexico_City",
		"YUC": "America/Merida", "ZAC": "America/Mexico_City",
	},
	"RU": {
		"MOW": "Europe/Moscow", "MOS": "Europe/Moscow", "SPE": "Europe/Moscow",
		"LEN": "Europe/Moscow", "KGD": "Europe/Kaliningrad", "NIZ": "Europe/Moscow",
		"KDA": "Europe/Moscow", "ROS": "Europe/Moscow", "TA": "Europe/Moscow",
		"VGG": "Europe/Volgograd", "SAR": "Europe/Saratov", "AST": "Europe/Astrakhan",
		"ULY": "Europe/Ulyanovsk", "KIR": "Europe/Kirov", "SAM": "Europe/Samara",
		"UD": "Europe/Samara", "BA": "Asia/Yekaterinburg", "PER": "Asia/Yekaterinburg",
		"SVE": "Asia/Yekaterinburg", "CHE": "Asia/Yekaterinburg", "TYU": "Asia/Yekaterinburg",
		"OMS": "Asia/Omsk", "NVS": "Asia/Novosibirsk", "TOM": "Asia/Tomsk",
		"ALT": "Asia/Barnaul", "KEM": "Asia/Novokuznetsk", "KYA": "Asia/Krasnoyarsk",
		"IRK": "Asia/Irkutsk", "ZAB": "Asia/Chita", "SA": "Asia/Yakutsk",
		"AMU": "Asia/Yakutsk", "PRI": "Asia/Vladivostok", "KHA": "Asia/Vladivostok",
		"SAK": "Asia/Sakhalin", "MAG": "Asia/Magadan", "KAM": "Asia/Kamchatka",
		"CHU": "Asia/Anadyr",
	},
	"ES": {"CN": "Atlantic/Canary", "GC": "Atlantic/Canary", "TF": "Atlantic/Canary"},
	"PT": {"20": "Atlantic/Azores", "30": "Atlantic/Madeira"},
	"EC": {"W": "Pacific/Galapagos"},
	"CL": {"MA": "America/Punta_Arenas"},
}

// regionDefaults is the zone of any other known region of a country whose
// exceptional regions are listed in regionZones (mainland Spain, Portugal,
// Ecuador and Chile).
var regionDefaults = map[string]string{
	"ES": "Europe/Madrid",
	"PT": "Europe/Lisbon",
	"EC": "America/Guayaquil",
	"CL": "America/Santiago",
}

var zoneCache sync.Map // zone name → *time.Location

// ZoneFor returns the time zone in which a shopper's dates are counted, and its
// IANA name. country is ISO 3166-1 alpha-2, region the ISO 3166-2 code without
// the country prefix (may be empty). An unknown country counts in UTC.
func ZoneFor(country, region string) (*time.Location, string) {
	return loadZone(zoneName(country, region))
}

// loadZone loads an IANA zone once; a name that does not load is UTC.
func loadZone(name string) (*time.Location, string) {
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location), name
	}
	loc, err := time.LoadLocation(name)
	if err != nil { // every name in the tables loads (tested)
		return time.UTC, "UTC"
	}
	zoneCache.Store(name, loc)
	return loc, name
}

func zoneName(country, region string) string {
	if region != "" {
		if z, ok := regionZones[country][region]; ok {
			return z
		}
		if z, ok := regionDefaults[country]; ok {
			return z
		}
	}
	if z, ok := countryZones[country]; ok {
		return z
	}
	return "UTC"
}

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code
// (upper case, as in the table).
func ValidCountry(code string) bool {
	_, ok := countryZones[code]
	return ok
}
