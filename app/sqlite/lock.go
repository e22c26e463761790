package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/kocasinan/gise/app"
)

// The lock file beside the database (gise.db.lock) says who has the store
// open: every Open holds a shared lock on it (the kiosk, gise sync, gise
// status side by side), and a restore takes it exclusively, so it never
// replaces the files under a running kiosk, and no store opens while it
// works. The locks are the kernel's (flock): a process that dies lets go.

// Messages of a lock not granted.
const (
	msgInUse     = "Veritabanı şu anda açık (kiosk ya da başka bir gise komutu çalışıyor). Programı kapatın, sonra geri yüklemeyi tekrar deneyin."
	msgRestoring = "Veritabanı şu anda geri yükleniyor; geri yükleme bitince programı yeniden başlatın."
)

// lockPath is the lock file of the database at path.
func lockPath(path string) string { return path + ".lock" }

// lockShared takes the shared lock of an opening store; it fails at once,
// with a sentence, while a restore holds the exclusive one.
func lockShared(path string) (*os.File, error) {
	f, err := flock(path, syscall.LOCK_SH)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, app.Errorf(app.ECONFLICT, msgRestoring)
	}
	return f, err
}

// LockExclusive takes the database's lock for a restore: it fails with
// ECONFLICT while any store (a kiosk, a command) has the file open. Call
// the returned function to release it.
func LockExclusive(path string) (unlock func(), err error) {
	f, err := flock(path, syscall.LOCK_EX)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, app.Errorf(app.ECONFLICT, msgInUse)
	}
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

// flock opens the lock file and locks it without waiting.
func flock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(lockPath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock store: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock store: %w", err)
	}
	return f, nil
}
