package central

import (
	"context"
	"time"
)

// bundleStore is what USB bundles (bundles.go) need of a Store beside the
// contract's tables: the central's own bundle keys, the keys each device
// registered, and the bundles imported with their receipts. Both stores
// implement it (bundlestore_sqlite.go, bundlestore_postgres.go).
type bundleStore interface {
	// CentralBundleKey returns the text of the central's bundle keys,
	// storing what create makes first when there is none yet (once, however
	// many nodes ask at the same moment).
	CentralBundleKey(ctx context.Context, create func() (string, error)) (string, error)
	// PutDeviceKeys keeps a device's public bundle keys, replacing what it
	// registered before.
	PutDeviceKeys(ctx context.Context, device string, sign []byte, recipient string, at time.Time) error
	// DeviceKeys returns whether a device is revoked and the keys it
	// registered (sign nil when none); errNoDevice for an unknown device.
	DeviceKeys(ctx context.Context, device string) (sign []byte, recipient string, revoked bool, err error)
	// ImportedBundle returns an imported bundle with its receipt; false
	// when the id was never imported.
	ImportedBundle(ctx context.Context, id string) (importedBundle, bool, error)
	// PutImportedBundle records an import; false when the id was recorded
	// already (another node imported it meanwhile).
	PutImportedBundle(ctx context.Context, b importedBundle) (bool, error)
	// BundleCount returns how many bundles were imported (tests, an operator).
	BundleCount(ctx context.Context) (int, error)
}

// importedBundle is one bundle the central imported, with the receipt it
// answered.
type importedBundle struct {
	id, device string
	at         time.Time
	records    int
	receiptID  string
	receipt    []byte
}
