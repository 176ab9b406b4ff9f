package returns

// The EU withdrawal function (Consumer Rights Directive Art. 11a): a
// shopper in a market that requires it withdraws from the contract with a
// button. The withdrawal is a return like any other, with a reason of its
// own that no policy needs to list.

// ReasonWithdrawal is the built-in reason of a statutory withdrawal. It is
// not the merchant's fault, and it is accepted only on lines on the
// statutory basis, whether or not the policy lists it.
const ReasonWithdrawal = "withdrawal"

// CodeWithdrawalNotStatutory: the withdrawal reason was given for a line
// that is not returnable on the statutory basis.
const CodeWithdrawalNotStatutory = "withdrawal_not_statutory"

// WithdrawalFunction reports whether the law of the market requires the
// withdrawal function (the data names the date it is required from).
func (m *Market) WithdrawalFunction() bool { return m != nil && m.WithdrawalFunctionFrom != "" }

// WithdrawableLines are the lines a statutory withdrawal may cover now: those
// returnable on the statutory basis without conditions.
func WithdrawableLines(elig []LineEligibility) []LineEligibility {
	var out []LineEligibility
	for _, e := range elig {
		if withdrawable(e) {
			out = append(out, e)
		}
	}
	return out
}

func withdrawable(e LineEligibility) bool {
	return e.Eligible && e.Code == CodeOK && e.Basis == BasisStatutory && e.ReturnableQuantity > 0
}

// itemReason resolves the reason of a requested item: one of the policy's,
// or the built-in withdrawal on a withdrawable line. The second result is an
// error code, "" when the reason is accepted.
func itemReason(p Policy, code string, e LineEligibility) (Reason, string) {
	if code == ReasonWithdrawal {
		if !withdrawable(e) {
			return Reason{}, CodeWithdrawalNotStatutory
		}
		return Reason{Code: ReasonWithdrawal, MerchantFault: false}, ""
	}
	r, ok := p.Reason(code)
	if !ok {
		return Reason{}, CodeUnknownReason
	}
	return r, ""
}

// IsWithdrawal reports whether a return was made with the withdrawal
// function: every item carries the withdrawal reason.
func (r Return) IsWithdrawal() bool {
	if len(r.Items) == 0 {
		return false
	}
	for _, it := range r.Items {
		if it.Reason != ReasonWithdrawal {
			return false
		}
	}
	return true
}
