package views

import "strings"

// EmailProps is one e-mail to a shopper, display-ready: every text is
// translated and formatted (money, dates) already. The HTML part
// (EmailHTML) and the plain-text part (EmailText) are made from the same
// props, so that both say the same.
type EmailProps struct {
	Lang string
	Dir  string // "rtl" for Arabic
	// Subject is the subject line; Preheader the line mail clients show
	// after it in the inbox.
	Subject   string
	Preheader string
	// Merchant is the shop's name in the header; Accent its colour
	// (#rrggbb, checked against white by the settings).
	Merchant string
	Accent   string
	Heading  string
	Blocks   []EmailBlock
	// Footer lines: why the shopper gets this e-mail, who sent it.
	Footer []string
}

// EmailBlock is one block of an e-mail's body: a paragraph (Text), a
// table of facts, a list, or a link shown as a button. Note marks a
// paragraph of lesser weight.
type EmailBlock struct {
	Text  string
	Note  bool
	Facts []EmailFact
	Items []string
	Link  *EmailLink
}

// EmailFact is one row of a table of facts ("RMA", "R-7K3P-9XQ2").
type EmailFact struct {
	Label, Value string
}

// EmailLink is a link: its label and absolute URL.
type EmailLink struct {
	Label, URL string
}

// defaultAccent is the portal's own accent colour (static/portal.css).
const defaultAccent = "#1f5fbf"

func (p EmailProps) accent() string {
	if len(p.Accent) == 7 && p.Accent[0] == '#' {
		return p.Accent
	}
	return defaultAccent
}

// start is the side text begins on: left, or right in a right-to-left
// language.
func (p EmailProps) start() string {
	if p.Dir == "rtl" {
		return "right"
	}
	return "left"
}

// EmailText is the plain-text part of an e-mail: the same blocks as the
// HTML part, facts as "label: value", lists with dashes, links as their
// label and URL on a line of its own.
func EmailText(p EmailProps) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteString("\n") }
	if p.Merchant != "" {
		line(p.Merchant)
		line("")
	}
	line(p.Heading)
	line(strings.Repeat("=", min(len([]rune(p.Heading)), 72)))
	for _, bl := range p.Blocks {
		line("")
		switch {
		case bl.Link != nil:
			line(bl.Link.Label + ":")
			line(bl.Link.URL)
		case len(bl.Facts) > 0:
			for _, f := range bl.Facts {
				line(f.Label + ": " + f.Value)
			}
		case len(bl.Items) > 0:
			if bl.Text != "" {
				line(bl.Text)
			}
			for _, it := range bl.Items {
				line("- " + it)
			}
		default:
			line(bl.Text)
		}
	}
	if len(p.Footer) > 0 {
		line("")
		line("--")
		for _, f := range p.Footer {
			line(f)
		}
	}
	return b.String()
}
