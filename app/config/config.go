// Package config reads the terminal's settings from an optional TOML file.
// Every setting has a default, so a terminal runs with no file at all.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is everything a terminal is told from outside its database.
type Config struct {
	// DataDir holds the database, the attachment files, the terminal key and
	// the logs. Default: $XDG_DATA_HOME/gise (~/.local/share/gise).
	DataDir string `toml:"data_dir"`
	// TerminalID names this terminal in records and audit events.
	TerminalID string `toml:"terminal_id"`
	// Language of the interface at start: "tr" or "en".
	Language string `toml:"language"`
	// Mode is what the kiosk opens in at start: ModeCounter (the login) or
	// ModeSelfService (the citizen's welcome). Switching on the screens
	// keeps the choice in terminal.toml, so that a crash or a power cut
	// brings the terminal back in the mode it was set to.
	Mode string `toml:"mode"`

	Municipality Municipality `toml:"municipality"`
	Central      Central      `toml:"central"`
	Printer      Printer      `toml:"printer"`
	Scanner      Scanner      `toml:"scanner"`
	Session      Session      `toml:"session"`
	Retention    Retention    `toml:"retention"`
	Storage      Storage      `toml:"storage"`
	Files        Files        `toml:"files"`
	MRZReader    MRZReader    `toml:"mrz_reader"`
}

// Files is where the counter's file picker may look for scans to attach:
// the scan folder and removable media, nothing else of the disk.
type Files struct {
	// ScanFolder is where the counter's scanner software saves its files;
	// a leading ~/ is the kiosk user's home. Default: ~/Taramalar.
	ScanFolder string `toml:"scan_folder"`
	// Removable lists the folders under which removable media are mounted
	// (a USB stick shows as a folder in one of them).
	Removable []string `toml:"removable"`
}

// MRZReader is the desk document reader of identity cards and passports
// when it sends the machine-readable zone over a serial port. A reader
// that types the zone as a keyboard (keyboard wedge) needs no setting.
type MRZReader struct {
	// Port is the serial device (/dev/ttyACM0, /dev/ttyUSB0); empty: none.
	Port string `toml:"port"`
	// Baud is the line's speed; 0 means 9600.
	Baud int `toml:"baud"`
}

// Storage is about the data directory's disk and database file.
type Storage struct {
	// MinFreeMB is the free space on the data directory's disk below which
	// the kiosk warns its operator and logs it, before a full disk stops
	// the writes.
	MinFreeMB int `toml:"min_free_mb"`
	// IntegrityEvery is how often the kiosk runs SQLite's full
	// integrity_check, each time once nothing was written for
	// IntegrityIdle.
	IntegrityEvery Duration `toml:"integrity_every"`
	IntegrityIdle  Duration `toml:"integrity_idle"`
}

// Retention is the KVKK retention and destruction policy of this terminal:
// how long each class of personal data stays here. Citizens and complaints
// count from their delivery to the central; nothing undelivered is ever
// destroyed. Durations are Go durations ("720h" is 30 days).
type Retention struct {
	PolicyVersion  string   `toml:"policy_version"`
	Citizens       Duration `toml:"citizens"`
	Complaints     Duration `toml:"complaints"`
	Audit          Duration `toml:"audit"`
	DestructionLog Duration `toml:"destruction_log"`
	PrintJobs      Duration `toml:"print_jobs"`
	// Interval is how often the destruction runs after the one at start.
	Interval Duration `toml:"interval"`
}

// Municipality is printed on notices and receipts.
type Municipality struct {
	Name      string `toml:"name"`
	Address   string `toml:"address"`
	Phone     string `toml:"phone"`
	Web       string `toml:"web"`
	Logo      string `toml:"logo"`       // path to a PNG; empty for the built-in one
	StatusURL string `toml:"status_url"` // base of the status link on receipts
}

// Central is the municipality's central API.
type Central struct {
	URL string `toml:"url"`
	// PinSHA256 optionally pins the server's key: base64 or hex SHA-256 of its SPKI.
	PinSHA256 string `toml:"pin_sha256"`
	// AllowPlainHTTP permits http:// to a host other than loopback.
	AllowPlainHTTP bool     `toml:"allow_plain_http"`
	Interval       Duration `toml:"interval"`
}

// Printer is the CUPS queue this terminal prints to.
type Printer struct {
	Name   string `toml:"name"`
	Layout string `toml:"receipt_layout"` // "thermal80" or "a4"
	// NoticeName is the queue for the A4 disclosure notice when Name is a
	// thermal receipt roll; empty means Name.
	NoticeName string `toml:"notice_name"`
	// Timeout bounds one hand-over to CUPS; zero means the printer's default.
	Timeout Duration `toml:"timeout"`
}

// NoticeQueue returns the queue the A4 notice is printed on.
func (p Printer) NoticeQueue() string {
	if p.NoticeName != "" {
		return p.NoticeName
	}
	return p.Name
}

// Scanner is the document scanner of the complaint screen's "Tara": a SANE
// device and how it scans.
type Scanner struct {
	// Device is the SANE device name as scanimage -L lists it ("" for no
	// scanner); a network copier through sane-airscan is "airscan:…".
	Device     string `toml:"device"`
	Source     string `toml:"source"`     // "flatbed" or "feeder"
	Mode       string `toml:"mode"`       // "grey" or "colour"
	Resolution int    `toml:"resolution"` // dots per inch
}

// Session holds the clerk-session and kiosk timers.
type Session struct {
	IdleLock       Duration `toml:"idle_lock"`        // counter: lock after this much quiet
	MaxSession     Duration `toml:"max_session"`      // counter: absolute limit
	KioskIdleReset Duration `toml:"kiosk_idle_reset"` // self-service: quiet before the countdown
	KioskCountdown Duration `toml:"kiosk_countdown"`  // self-service: visible countdown
}

// Duration is a time.Duration written as "5m" or "30s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	d.Duration = v
	return nil
}

// MarshalText writes a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// The kiosk's modes at start (Config.Mode).
const (
	ModeCounter     = "counter"
	ModeSelfService = "self_service"
)

// Default returns the settings of a Kocasinan counter terminal.
func Default() Config {
	return Config{
		DataDir:    DefaultDataDir(),
		TerminalID: "KCS-MERKEZ-01",
		Language:   "tr",
		Mode:       ModeCounter,
		Municipality: Municipality{
			Name:      "Kocasinan Belediyesi",
			Address:   "Kocasinan / Kayseri",
			Web:       "www.kocasinan.bel.tr",
			StatusURL: "https://www.kocasinan.bel.tr/basvuru/",
		},
		Central: Central{Interval: Duration{30 * time.Second}},
		Printer: Printer{Layout: "thermal80"},
		Scanner: Scanner{Source: "flatbed", Mode: "grey", Resolution: 200},
		Retention: Retention{
			PolicyVersion:  "2026-1",
			Citizens:       Duration{30 * 24 * time.Hour},
			Complaints:     Duration{30 * 24 * time.Hour},
			Audit:          Duration{2 * 365 * 24 * time.Hour},
			DestructionLog: Duration{3 * 365 * 24 * time.Hour},
			PrintJobs:      Duration{30 * 24 * time.Hour},
			Interval:       Duration{24 * time.Hour},
		},
		Files:     Files{ScanFolder: "~/Taramalar", Removable: []string{"/media", "/run/media"}},
		MRZReader: MRZReader{Baud: 9600},
		Storage:   Storage{MinFreeMB: 500, IntegrityEvery: Duration{24 * time.Hour}, IntegrityIdle: Duration{10 * time.Minute}},
		Session: Session{
			IdleLock:       Duration{5 * time.Minute},
			MaxSession:     Duration{12 * time.Hour},
			KioskIdleReset: Duration{60 * time.Second},
			KioskCountdown: Duration{30 * time.Second}, // UX.md: warn 30 s or more before the wipe
		},
	}
}

// The installed package's paths (packaging/, docs/INSTALL.md).
const (
	// SystemConfig is read when no --config is given and it exists.
	SystemConfig = "/etc/gise/gise.toml"
	// SystemDataDir is the data directory of the package's gise user.
	SystemDataDir = "/var/lib/gise"
	// SystemUser is the account the kiosk session and the timers run as.
	SystemUser = "gise"
)

// DefaultPath is the settings file read when none is named: $GISE_CONFIG,
// else SystemConfig when it exists, else none ("").
func DefaultPath() string {
	if p := os.Getenv("GISE_CONFIG"); p != "" {
		return p
	}
	if _, err := os.Stat(SystemConfig); err == nil {
		return SystemConfig
	}
	return ""
}

// DefaultDataDir returns SystemDataDir for the package's gise user (and
// for root on an installed system, whom main then sends to that user);
// otherwise $XDG_DATA_HOME/gise, or ~/.local/share/gise.
func DefaultDataDir() string {
	if systemUser() {
		return SystemDataDir
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "gise")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "gise-data"
	}
	return filepath.Join(home, ".local", "share", "gise")
}

// systemUser tells whether the process runs as the package's gise user,
// or as root where the package made SystemDataDir.
func systemUser() bool {
	u, err := user.Current()
	if err != nil {
		return false
	}
	if u.Username == SystemUser {
		return true
	}
	_, err = os.Stat(SystemDataDir)
	return u.Uid == "0" && err == nil
}

// Load returns the defaults overlaid with the TOML file at path. An empty
// path, or a path that does not exist, gives the defaults.
func Load(path string) (Config, error) {
	c := Default()
	if path == "" {
		return c, nil
	}
	md, err := toml.DecodeFile(path, &c)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return c, fmt.Errorf("config %s: unknown setting %q", path, undecoded[0].String())
	}
	if c.Mode != ModeCounter && c.Mode != ModeSelfService {
		return c, fmt.Errorf("config %s: mode %q: %q or %q", path, c.Mode, ModeCounter, ModeSelfService)
	}
	return c, nil
}

// DatabasePath is the store's file inside DataDir.
func (c Config) DatabasePath() string { return filepath.Join(c.DataDir, "gise.db") }
