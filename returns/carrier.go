package returns

import "slices"

// Label providers: how a hub's return labels are made.
const (
	// LabelProviderOwn draws the portal's own document (package labels):
	// the RMA's barcode, for merchants with their own carrier contract or a
	// "send it yourself" policy, and the packing slip inside the parcel.
	LabelProviderOwn = "own"
	// LabelProviderEasyPost buys the carrier's label through EasyPost.
	LabelProviderEasyPost = "easypost"
	// LabelProviderSendcloud buys the carrier's label through Sendcloud's
	// Returns API.
	LabelProviderSendcloud = "sendcloud"
)

// LabelProviders are the label providers a hub may name.
var LabelProviders = []string{LabelProviderOwn, LabelProviderEasyPost, LabelProviderSendcloud}

// Provider is the hub's label provider: LabelProviderOwn unless it names a
// carrier platform.
func (h Hub) Provider() string {
	if h.LabelProvider == "" {
		return LabelProviderOwn
	}
	return h.LabelProvider
}

// CarrierLabels reports whether the hub's labels are bought from a carrier
// platform (in the background, after the approval) rather than drawn by the
// portal.
func (h Hub) CarrierLabels() bool { return h.Provider() != LabelProviderOwn }

// validLabelProvider reports whether a policy may name p.
func validLabelProvider(p string) bool { return slices.Contains(LabelProviders, p) }

// Codes of the label a carrier platform sells.
const (
	// CodeLabelPreparing: the carrier's label is being bought; the status
	// page says so until it can be downloaded.
	CodeLabelPreparing = "label_preparing"
)
