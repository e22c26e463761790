package auth

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// MaxClockSkew is the clock difference with the central above which the
// enrolment screen warns: TOTP codes and record times go wrong beyond it.
const MaxClockSkew = 120 * time.Second

// TerminalEnrolment is the terminal's link to the central API, entered by an
// admin. The sync worker reads it at start.
type TerminalEnrolment struct {
	CentralURL string // https://…, or http:// to a loopback host
	DeviceID   string
	Token      string // the enrolment token; sealed at rest, never logged
	SavedAt    time.Time
	SavedBy    string
}

var deviceIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// SaveTerminalEnrolment checks and stores the enrolment, the token sealed
// with the terminal key. Admin only; EINVALID naming the field at fault.
// Checking the central (GET /v1/health) is the sync package's job: show its
// answer with CheckClock.
func (s *Service) SaveTerminalEnrolment(ctx context.Context, sess *Session, e TerminalEnrolment) error {
	if err := Require(ctx, sess, app.RoleAdmin); err != nil {
		return err
	}
	return s.saveEnrolment(ctx, sess.Actor(), e)
}

// saveEnrolment checks and stores e for actor, audited as theirs.
func (s *Service) saveEnrolment(ctx context.Context, actor app.Actor, e TerminalEnrolment) error {
	e.CentralURL, e.DeviceID, e.Token = strings.TrimSpace(e.CentralURL), strings.TrimSpace(e.DeviceID), strings.TrimSpace(e.Token)
	if err := checkCentralURL(e.CentralURL); err != nil {
		return err
	}
	if !deviceIDPattern.MatchString(e.DeviceID) {
		return app.FieldError("device_id", "Cihaz kimliğini merkezden verildiği gibi yazın: en çok 64 karakter; harf, rakam, nokta, tire veya alt çizgi.")
	}
	if e.Token == "" || len(e.Token) > 4096 {
		return app.FieldError("token", "Merkezden verilen kayıt anahtarını (token) eksiksiz yapıştırın.")
	}
	sealed, err := s.sealer.Seal("terminal", "enrolment_token", []byte(e.Token))
	if err != nil {
		return s.internal("save enrolment", err)
	}
	return s.internal("save enrolment", s.store.SaveEnrolment(ctx, actor, StoredEnrolment{
		CentralURL: e.CentralURL, DeviceID: e.DeviceID, TokenSealed: sealed,
		SavedAt: s.opt.Now(), SavedBy: actor.Username,
	}))
}

// TerminalEnrolment returns the stored enrolment with its token opened, for
// main to wire the sync worker (no session needed: the worker runs without
// one). ENOTFOUND when the terminal was never enrolled.
func (s *Service) TerminalEnrolment(ctx context.Context) (TerminalEnrolment, error) {
	st, err := s.store.Enrolment(ctx)
	if err != nil {
		return TerminalEnrolment{}, s.internal("enrolment", err)
	}
	tok, err := s.sealer.Open("terminal", "enrolment_token", st.TokenSealed)
	if err != nil {
		return TerminalEnrolment{}, s.internal("enrolment", err)
	}
	return TerminalEnrolment{CentralURL: st.CentralURL, DeviceID: st.DeviceID, Token: string(tok),
		SavedAt: st.SavedAt, SavedBy: st.SavedBy}, nil
}

func checkCentralURL(raw string) error {
	u, err := url.Parse(raw)
	bad := app.FieldError("central_url", "Merkez adresini https:// ile başlayan tam adres olarak yazın; örneğin https://gise.kocasinan.bel.tr.")
	if err != nil || u.Host == "" || u.User != nil {
		return bad
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return bad
}

// ClockCheck is the outcome of comparing this terminal's clock with the
// central's.
type ClockCheck struct {
	Diff    time.Duration // server minus local: positive when this terminal is behind
	Warn    bool          // |Diff| > MaxClockSkew
	Message string        // Turkish, for the enrolment screen
}

// CheckClock compares the central's time (from its health answer) with the
// local time at which the answer arrived.
func CheckClock(local, server time.Time) ClockCheck {
	d := server.Sub(local).Round(time.Second)
	abs := d.Abs()
	c := ClockCheck{Diff: d, Warn: abs > MaxClockSkew}
	switch {
	case c.Warn && d > 0:
		c.Message = fmt.Sprintf("Bu terminalin saati merkezden %s geride. Saati düzeltin; yoksa doğrulama kodları ve kayıt saatleri hatalı olur.", turkishDuration(abs))
	case c.Warn:
		c.Message = fmt.Sprintf("Bu terminalin saati merkezden %s ileride. Saati düzeltin; yoksa doğrulama kodları ve kayıt saatleri hatalı olur.", turkishDuration(abs))
	default:
		c.Message = fmt.Sprintf("Saat farkı %s; sorun yok.", turkishDuration(abs))
	}
	return c
}

func turkishDuration(d time.Duration) string {
	m, sec := int(d/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case m == 0:
		return fmt.Sprintf("%d saniye", sec)
	case sec == 0:
		return fmt.Sprintf("%d dakika", m)
	}
	return fmt.Sprintf("%d dakika %d saniye", m, sec)
}
