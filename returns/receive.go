package returns

// Why a parcel cannot be received: the receiving bench's answers.
const (
	CodeAlreadyReceived = "already_received"
	CodeReturnCancelled = "cancelled"
	CodeNotApproved     = "not_approved"
	CodeReturnClosed    = "closed"
)

// ReceiveRefusal says why the parcel of a return in this state cannot be
// received, "" when it can (approved): still waiting for review, received
// already (or further on), cancelled by the shopper, or closed otherwise
// (rejected, expired).
func ReceiveRefusal(s Status) string {
	switch s {
	case StatusApproved:
		return ""
	case StatusCancelled:
		return CodeReturnCancelled
	case StatusRequested:
		return CodeNotApproved
	case StatusReceived, StatusInspected, StatusRefunded, StatusCredited, StatusExchanged, StatusClosed:
		return CodeAlreadyReceived
	}
	return CodeReturnClosed
}
