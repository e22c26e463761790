package auth_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// auditActions returns the actions of the audit chain, oldest first.
func (e *env) auditActions() []string {
	e.t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(e.dir, "gise.db")+"?mode=ro")
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT action FROM audit_events ORDER BY seq`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			e.t.Fatal(err)
		}
		list = append(list, a)
	}
	return list
}

// TestEveryAttemptIsAudited: each kind of attempt leaves its event, and the
// chain still verifies.
func TestEveryAttemptIsAudited(t *testing.T) {
	e := newEnv(t)
	a := e.setupAdmin()
	e.clk.Add(time.Minute)
	e.svc.Login(e.ctx, "yonetici", "yanlış şifre denemesi")
	e.svc.Login(e.ctx, "kimse", "yanlış şifre denemesi")
	ch, _ := e.svc.Login(e.ctx, "yonetici", adminPassword)
	e.svc.VerifyTOTP(e.ctx, ch, e.code(a.secret, 3*time.Minute))
	e.svc.VerifyTOTP(e.ctx, ch, "abcdef")
	used := e.code(a.secret, 0)
	sess, _ := e.svc.VerifyTOTP(e.ctx, ch, used)
	ch, _ = e.svc.Login(e.ctx, "yonetici", adminPassword)
	e.svc.VerifyTOTP(e.ctx, ch, used)
	e.svc.LoginWithRecovery(e.ctx, ch, "AAAA-BBBB-CCCC-DDDD")
	e.svc.Lock(e.ctx, sess)
	e.svc.Unlock(e.ctx, sess, "yanlış şifre denemesi")
	e.svc.Unlock(e.ctx, sess, adminPassword)
	e.svc.Logout(e.ctx, sess)
	for range 5 {
		e.svc.Login(e.ctx, "kimse", "yanlış şifre denemesi")
	}
	got := e.auditActions()
	for _, want := range []string{
		"account.created", "setup.completed", "login.password_failed", "login.password_accepted",
		"login.totp_failed", "login.totp_skewed", "login.totp_accepted", "login.succeeded", "login.totp_replayed",
		"login.recovery_failed", "session.locked", "session.unlock_failed", "session.unlocked",
		"session.ended", "login.throttled",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s event in %v", want, got)
		}
	}
	rep, err := e.store.VerifyAudit(e.ctx)
	if err != nil || !rep.OK() {
		t.Errorf("audit chain: %+v %v", rep, err)
	}
}
