// Package serialport reads machine-readable zones from a desk document
// reader on a serial port (RS-232, or USB as a virtual COM port, ttyACM or
// ttyUSB) through go.bug.st/serial. Readers send a zone's lines ended by
// CR or CR LF, some framed by STX … ETX; a zone is complete at an ETX or
// when the line falls quiet.
package serialport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"go.bug.st/serial"

	"github.com/kocasinan/gise/app"
)

// DefaultBaud is the speed desk readers ship with.
const DefaultBaud = 9600

// DefaultQuiet is how long the line stays silent after a zone's last byte
// before the zone counts as complete: at 9600 baud a 90-character zone
// takes about 0.1 s, and readers send it in one go.
const DefaultQuiet = 150 * time.Millisecond

// Framing some readers put around a zone.
const (
	stx = 0x02
	etx = 0x03
)

// Reader is one open serial port with what it has sent so far.
type Reader struct {
	port    serial.Port
	pending []byte
}

var _ app.MRZReader = (*Reader)(nil)

// Open opens path (/dev/ttyACM0) at baud, 8N1, waiting quiet between reads.
func Open(path string, baud int, quiet time.Duration) (*Reader, error) {
	p, err := serial.Open(path, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, openError(err)
	}
	if err := p.SetReadTimeout(quiet); err != nil {
		p.Close()
		return nil, openError(err)
	}
	return &Reader{port: p}, nil
}

// openError says what to do about a port that would not open.
func openError(err error) error {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortBusy:
			return &app.Error{Code: app.ECONFLICT, Err: err, Message: "MRZ okuyucusunun bağlantı noktasını başka bir program kullanıyor; o programı kapatın ya da okuyucuyu çıkarıp yeniden takın."}
		case serial.PermissionDenied:
			return &app.Error{Code: app.EPERMISSION, Err: err, Message: "MRZ okuyucusunun bağlantı noktasına erişim izni yok; bilgi işlem birimi kiosk kullanıcısını dialout grubuna eklemeli."}
		}
	}
	return &app.Error{Code: app.ENOTFOUND, Err: err, Message: "MRZ okuyucusunun bağlantı noktası açılamadı; okuyucunun takılı olduğunu denetleyin ve Yönetim ekranında doğru noktayı seçin."}
}

// Read implements app.MRZReader.
func (r *Reader) Read(ctx context.Context) (string, error) {
	buf := make([]byte, 256)
	for {
		if zone, ok := r.framed(); ok {
			return zone, nil
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := r.port.Read(buf)
		if err != nil {
			return "", &app.Error{Code: app.EINTERNAL, Err: fmt.Errorf("serial read: %w", err),
				Message: "MRZ okuyucusuyla bağlantı koptu; kablosunu denetleyin, sürerse okuyucuyu çıkarıp yeniden takın."}
		}
		r.pending = append(r.pending, buf[:n]...)
		if n == 0 && len(bytes.TrimSpace(r.pending)) > 0 { // quiet after data: the zone is complete
			zone := string(r.pending)
			r.pending = nil
			return zone, nil
		}
		if n == 0 {
			r.pending = nil // only line ends or framing came: nothing to give
		}
	}
}

// framed takes a zone off pending when its end is marked: an ETX, or the
// STX of the next zone after one that was not framed.
func (r *Reader) framed() (string, bool) {
	for i, c := range r.pending {
		if c != etx && c != stx {
			continue
		}
		zone := string(r.pending[:i])
		r.pending = r.pending[i+1:]
		if c == etx || len(bytes.TrimSpace([]byte(zone))) > 0 {
			return zone, true
		}
		return r.framed() // an STX opening the buffer: read on
	}
	return "", false
}

// Close implements app.MRZReader.
func (r *Reader) Close() error { return r.port.Close() }

// Ports lists the serial ports the system has, for the Administration
// screen to offer.
func Ports() ([]string, error) {
	ports, err := serial.GetPortsList()
	if err != nil {
		return nil, fmt.Errorf("list serial ports: %w", err)
	}
	return ports, nil
}
