package returns

// Codes of CheckLabel: why a return has no label.
const (
	// CodeLabelNotReady: the return waits for review; the label comes with
	// the approval.
	CodeLabelNotReady = "label_not_ready"
	// CodeLabelUnavailable: the return was cancelled, rejected or expired;
	// it will never have a label.
	CodeLabelUnavailable = "label_unavailable"
	// CodeLabelReturnless: the shopper keeps the items (Return.Returnless):
	// there is no parcel, so no label.
	CodeLabelReturnless = "label_returnless"
)

// CheckLabel says whether a return in this state has its documents (the
// prepaid label and, across a customs border, the customs declaration) for
// the shopper: from the approval on, and still once the parcel has arrived
// and the return is paid back (a shopper may keep them with their records),
// but not while it waits for review, nor once it was called off. The status
// page links the label exactly when the label downloads (HasLabel).
func CheckLabel(s Status) error {
	switch s {
	case StatusRequested:
		return &Error{Code: CodeLabelNotReady}
	case StatusCancelled, StatusRejected, StatusExpired:
		return &Error{Code: CodeLabelUnavailable}
	}
	if !s.Valid() {
		return &Error{Code: CodeLabelUnavailable}
	}
	return nil
}

// HasLabel reports whether a return in this state has a label (CheckLabel).
func (s Status) HasLabel() bool { return CheckLabel(s) == nil }

// CheckReturnLabel is CheckLabel for a return: a return whose items the
// shopper keeps (returnless) never has a label, whatever its state.
func CheckReturnLabel(r Return) error {
	if r.Returnless() {
		return &Error{Code: CodeLabelReturnless}
	}
	return CheckLabel(r.Status)
}
