package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// TerminalFile is where the settings an administrator changes on the screen
// are kept, inside the data directory. It is read after the --config file,
// so a change made at the terminal wins.
const TerminalFile = "terminal.toml"

// terminalSettings are the settings the admin screen may change, and the
// mode the terminal was last switched to.
type terminalSettings struct {
	Language string   `toml:"language"`
	Mode     string   `toml:"mode"`
	Printer  Printer  `toml:"printer"`
	Scanner  Scanner  `toml:"scanner"`
	IdleLock Duration `toml:"idle_lock"`
	// MRZReader is written whole each time, so clearing the port sticks.
	MRZReader *MRZReader `toml:"mrz_reader"`
}

// SaveTerminal writes the admin-changed settings of c to the data directory,
// atomically.
func SaveTerminal(c Config) error {
	var buf bytes.Buffer
	ts := terminalSettings{Language: c.Language, Mode: c.Mode, Printer: c.Printer, Scanner: c.Scanner, IdleLock: c.Session.IdleLock,
		MRZReader: &c.MRZReader}
	if err := toml.NewEncoder(&buf).Encode(ts); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	path := filepath.Join(c.DataDir, TerminalFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return os.Rename(tmp, path)
}

// ApplyTerminal overlays the admin-changed settings kept in the data
// directory, when there are any.
func (c *Config) ApplyTerminal() error {
	var ts terminalSettings
	_, err := toml.DecodeFile(filepath.Join(c.DataDir, TerminalFile), &ts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("terminal settings: %w", err)
	}
	if ts.Language != "" {
		c.Language = ts.Language
	}
	if ts.Mode == ModeCounter || ts.Mode == ModeSelfService {
		c.Mode = ts.Mode
	}
	if ts.Printer.Name != "" {
		c.Printer = ts.Printer
	}
	if ts.Scanner != (Scanner{}) {
		c.Scanner = ts.Scanner
	}
	if ts.IdleLock.Duration > 0 {
		c.Session.IdleLock = ts.IdleLock
	}
	if ts.MRZReader != nil {
		c.MRZReader = *ts.MRZReader
	}
	return nil
}

// LocalIP returns the terminal's first non-loopback IPv4 address, for the
// audit trail's traffic record; "" when there is none.
func LocalIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return ""
}
