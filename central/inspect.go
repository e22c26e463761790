package central

import (
	"context"
	"database/sql"
	"errors"
)

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
	r := StoredRecord{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT fingerprint, server_ref, device_id, type, data FROM records WHERE id = ?`, id).
		Scan(&r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// RecordCount returns how many records the central holds.
func (s *Server) RecordCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM records`).Scan(&n)
	return n, err
}

// ForEachRecord calls fn for every stored record, in arrival order.
func (s *Server) ForEachRecord(ctx context.Context, fn func(StoredRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fingerprint, server_ref, device_id, type, data FROM records ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r StoredRecord
		if err := rows.Scan(&r.ID, &r.Fingerprint, &r.ServerRef, &r.DeviceID, &r.Type, &r.Data); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
