package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/kocasinan/gise/app"
)

// BackupTo writes a consistent copy of the database file at path to dst
// with VACUUM INTO: one read transaction, so a kiosk writing meanwhile
// neither waits nor tears the copy, and the copy holds no free pages (none
// of the personal data secure_delete already wiped). The copy is synced,
// made owner-only and checked (integrity_check) before BackupTo returns;
// a copy that fails the check is removed and the error is app.Damaged. A
// full disk is app.NoSpace.
func BackupTo(ctx context.Context, path, dst string) (Report, error) {
	if _, err := os.Stat(dst); err == nil {
		return Report{}, fmt.Errorf("backup: %s already exists", dst)
	}
	// Not openInspect's query_only, which refuses VACUUM INTO; the source
	// is only read all the same.
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dst)
	db.Close()
	if err == nil {
		err = syncFile(dst)
	}
	if err == nil {
		err = os.Chmod(dst, 0o600)
	}
	if err != nil {
		os.Remove(dst)
		if isFull(err) {
			return Report{}, app.NoSpace(err)
		}
		return Report{}, checkResult(nil, err)
	}
	r, err := Inspect(ctx, dst, true)
	if err != nil {
		os.Remove(dst)
	}
	return r, err
}

// syncFile flushes a file written by another handle to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
