package returns

// Paper sizes a return label prints on: an A4 or US Letter sheet, or a
// 4×6 in thermal label.
const (
	PaperA4      = "a4"
	PaperLetter  = "letter"
	PaperThermal = "4x6"
)

// letterCountries use US Letter as their everyday paper (the Americas
// that standardised on it, and the Philippines); everyone else uses A4.
var letterCountries = map[string]bool{
	"US": true, "CA": true, "MX": true, "PR": true, "GU": true, "VI": true, "AS": true, "MP": true, "UM": true,
	"CL": true, "CO": true, "CR": true, "DO": true, "GT": true, "NI": true, "PA": true, "SV": true,
	"VE": true, "PH": true, "BZ": true,
}

// DefaultPaper is the sheet a shopper in country (ISO 3166-1 alpha-2) most
// likely has in the printer: PaperLetter or PaperA4.
func DefaultPaper(country string) string {
	if letterCountries[country] {
		return PaperLetter
	}
	return PaperA4
}
