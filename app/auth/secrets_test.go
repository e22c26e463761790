package auth_test

import (
	"bytes"
	"encoding/base32"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/assets"
)

// TestNoSecretInDatabaseOrLog runs every flow that handles a secret, then
// reads the raw database file, its WAL and the captured log, and finds no
// password, TOTP code, TOTP secret (base32 or raw), recovery code or
// enrolment token in any of them.
func TestNoSecretInDatabaseOrLog(t *testing.T) {
	e := newEnv(t)
	var secrets, codes []string
	keep := func(s ...string) { secrets = append(secrets, s...) }
	totpCode := func(secret string, d time.Duration) string {
		c := e.code(secret, d)
		codes = append(codes, c)
		return c
	}
	keepEnrolment := func(en *auth.Enrolment) {
		b32 := strings.ReplaceAll(en.Secret, " ", "")
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(b32)
		if err != nil {
			t.Fatal(err)
		}
		keep(b32, strings.ToLower(b32), en.Secret, string(raw))
		for _, c := range en.RecoveryCodes {
			keep(c, strings.ReplaceAll(c, "-", ""))
		}
	}

	// Setup, a wrong code, then the right one.
	keep(adminPassword)
	setup, err := e.svc.BeginSetup(e.ctx, "yonetici", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	keepEnrolment(setup.Enrolment)
	e.svc.CompleteSetup(e.ctx, setup, totpCode(setup.Enrolment.Secret, 3*time.Minute))
	if _, err := e.svc.CompleteSetup(e.ctx, setup, totpCode(setup.Enrolment.Secret, 0)); err != nil {
		t.Fatal(err)
	}

	// A wrong password, a wrong code, a good login, a replay.
	wrong := "Yanlış bir şifre 2026"
	keep(wrong)
	e.svc.Login(e.ctx, "yonetici", wrong)
	e.clk.Add(time.Minute)
	ch, _ := e.svc.Login(e.ctx, "yonetici", adminPassword)
	e.svc.VerifyTOTP(e.ctx, ch, totpCode(setup.Enrolment.Secret, 5*time.Minute))
	good := totpCode(setup.Enrolment.Secret, 0)
	if _, err := e.svc.VerifyTOTP(e.ctx, ch, good); err != nil {
		t.Fatal(err)
	}
	ch, _ = e.svc.Login(e.ctx, "yonetici", adminPassword)
	e.svc.VerifyTOTP(e.ctx, ch, good)

	// A recovery login and re-enrolment.
	e.clk.Add(time.Minute)
	ch, _ = e.svc.Login(e.ctx, "yonetici", adminPassword)
	if _, err := e.svc.LoginWithRecovery(e.ctx, ch, setup.Enrolment.RecoveryCodes[3]); err != nil {
		t.Fatal(err)
	}
	enr, err := e.svc.BeginEnrolment(e.ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	keepEnrolment(enr)
	// The re-enrolment ends the admin's older session: go on with this one.
	adm, err := e.svc.CompleteEnrolment(e.ctx, ch, totpCode(enr.Secret, 0))
	if err != nil || adm == nil {
		t.Fatal(err)
	}

	// A new clerk: temporary password, enrolment, own password; then a reset.
	_, temp, err := e.svc.CreateAccount(e.ctx, adm, "gorevli", app.RoleClerk)
	if err != nil {
		t.Fatal(err)
	}
	keep(temp, strings.ReplaceAll(temp, "-", ""))
	ch, _ = e.svc.Login(e.ctx, "gorevli", temp)
	enr, _ = e.svc.BeginEnrolment(e.ctx, ch)
	keepEnrolment(enr)
	e.svc.CompleteEnrolment(e.ctx, ch, totpCode(enr.Secret, 0))
	own := "Sahabiye mahallesi 7 numara"
	keep(own)
	clerk, err := e.svc.ChangePassword(e.ctx, ch, own)
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Unlock(e.ctx, clerk, "Kilit ekranında yanlış şifre")
	keep("Kilit ekranında yanlış şifre")
	temp2, _ := e.svc.ResetPassword(e.ctx, adm, "gorevli")
	keep(temp2)

	token := "enr-7f3a9c2e11d04b6a-gizli"
	keep(token)
	if err := e.svc.SaveTerminalEnrolment(e.ctx, adm, auth.TerminalEnrolment{CentralURL: "https://merkez.kocasinan.bel.tr", DeviceID: "KCS-01", Token: token}); err != nil {
		t.Fatal(err)
	}

	scan := func(where string, data []byte) {
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds a secret in the clear: %q", where, s)
			}
		}
		for _, c := range slices.Compact(slices.Sorted(slices.Values(codes))) {
			if i := standalone(data, c); i >= 0 {
				t.Errorf("%s holds TOTP code %s at %d: %q", where, c, i, data[max(0, i-20):min(len(data), i+26)])
			}
		}
	}
	files := []string{"gise.db", "gise.db-wal"}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(e.dir, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		scan(f, b)
	}
	scan("log", e.logs.Bytes())
	if e.logs.Len() == 0 {
		t.Error("nothing was logged: the log scan proves nothing")
	}
	e.restart() // checkpoints the WAL into the file
	b, _ := os.ReadFile(filepath.Join(e.dir, "gise.db"))
	scan("gise.db after a restart", b)
}

// standalone returns where the 6-digit code occurs not as part of a longer
// run of hex digits or dashes (hashes and ids in the audit chain are
// hexadecimal, so a six-digit run inside them is chance, not a stored code),
// or -1.
func standalone(data []byte, code string) int {
	isHex := func(i int) bool {
		if i < 0 || i >= len(data) {
			return false
		}
		c := data[i]
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-'
	}
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(code))
		if i < 0 {
			return -1
		}
		i += off
		if !isHex(i-1) && !isHex(i+len(code)) {
			return i
		}
		off = i + 1
	}
}

// TestUnknownUsernameCostsTheSame: a wrong username is checked against a
// dummy hash made with the same parameters, so it takes as long as a wrong
// password for an existing account.
func TestUnknownUsernameCostsTheSame(t *testing.T) {
	e := newEnv(t)
	var err error
	e.svc, err = auth.New(e.store, e.sealer, auth.Options{Now: e.clk.Now, Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		Password: auth.PasswordParams{Time: 2, Memory: 16 * 1024, Threads: 1}, IsCommonPassword: assets.IsCommonPassword})
	if err != nil {
		t.Fatal(err)
	}
	e.setupAdmin()
	// Interleaved, and the fastest of each compared: the machine is shared,
	// and noise only ever adds time.
	fastest := map[string]time.Duration{}
	for i := range auth.FreeFailures - 1 { // stay clear of the throttle
		for _, user := range []string{"yonetici", "olmayan.kullanici"} {
			start := time.Now()
			_, err := e.svc.Login(e.ctx, user, "Yanlış bir şifre "+string(rune('a'+i)))
			if d := time.Since(start); fastest[user] == 0 || d < fastest[user] {
				fastest[user] = d
			}
			wantCode(t, user, err, app.EUNAUTH)
		}
	}
	known, unknown := fastest["yonetici"], fastest["olmayan.kullanici"]
	t.Logf("wrong password %v, unknown username %v", known, unknown)
	// A skipped hash would answer 20 to 100 times faster; a factor of 5
	// leaves room for a busy neighbour without hiding that.
	if unknown < known/5 || unknown > known*5 {
		t.Errorf("an unknown username answers in %v, a wrong password in %v: the difference tells which exists", unknown, known)
	}
}
