package counter

import (
	"sync"

	"github.com/kocasinan/gise/app/notice"
)

// Visit is one person's time at the counter: the notice rule of
// notice.Visit, and whether their identity was checked against a document
// in this visit (an e-Belediye password set-up needs that).
type Visit struct {
	*notice.Visit

	mu       sync.Mutex
	verified bool
}

// MarkVerified records that the person's identity was verified in this visit.
func (v *Visit) MarkVerified() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.verified = true
}

// Verified reports whether the identity was verified in this visit.
func (v *Visit) Verified() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.verified
}
