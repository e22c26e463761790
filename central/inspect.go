package central

import "context"

// StoredRecord is a record as the central holds it.
type StoredRecord struct {
	ID          string
	Fingerprint string
	ServerRef   string
	DeviceID    string
	Type        string
	Data        string // canonical JSON
}

// Lookup returns the stored record with this id, and whether there is one.
func (s *Server) Lookup(ctx context.Context, id string) (StoredRecord, bool, error) {
	return s.st.Lookup(ctx, id)
}

// RecordCount returns how many records the central holds.
func (s *Server) RecordCount(ctx context.Context) (int, error) { return s.st.RecordCount(ctx) }

// ForEachRecord calls fn for every stored record, in arrival order.
func (s *Server) ForEachRecord(ctx context.Context, fn func(StoredRecord) error) error {
	return s.st.ForEachRecord(ctx, fn)
}
