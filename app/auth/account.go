// Package auth is Gişe's clerk accounts service: the first-run setup of the
// first administrator, password and TOTP two-factor login with replay
// refusal and persistent throttling, one-time recovery codes, idle-locking
// sessions, role checks that every app service makes itself, the admin's
// account operations, and the terminal's enrolment settings. It has no GUI and
// no SQL: screens call a *Service, and a Store (the SQLite store) keeps the
// rows. Login needs no network.
//
// A screen drives it like this:
//
//	if need, _ := svc.NeedsSetup(ctx); need {
//		setup, err := svc.BeginSetup(ctx, username, password) // show setup.Enrolment
//		sess, err := svc.CompleteSetup(ctx, setup, code)      // typed from the app
//	}
//	ch, err := svc.Login(ctx, username, password)
//	sess, err := svc.VerifyTOTP(ctx, ch, code) // or svc.LoginWithRecovery(ctx, ch, recoveryCode)
//	for sess == nil {                          // further steps the account owes
//		switch ch.Next() {
//		case auth.StepEnrolTOTP:      e, _ := svc.BeginEnrolment(ctx, ch); sess, err = svc.CompleteEnrolment(ctx, ch, code)
//		case auth.StepChangePassword: sess, err = svc.ChangePassword(ctx, ch, newPassword)
//		}
//	}
//
// Every error is an *app.Error whose Message is a Turkish sentence to show.
package auth

import (
	"time"

	"github.com/kocasinan/gise/app"
)

// Account is a clerk's account as screens see it: no credential in it.
type Account struct {
	ID                 string // UUID
	Username           string // lower-case, see ParseUsername
	Role               app.Role
	Disabled           bool
	MustChangePassword bool // set by an admin's reset; cleared by ChangePassword
	MustReenrolTOTP    bool // set by a recovery-code login or an admin's TOTP reset
	TOTPEnrolled       bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Generation counts the changes a session must not outlive (role,
	// disabled, password, authenticator); a session opened at one
	// generation ends at the first call that finds another.
	Generation int64
}

// Actor returns the account as the actor of its writes.
func (a *Account) Actor() app.Actor { return app.Actor{Username: a.Username, Role: a.Role} }

// Credential is what proves an account: kept by the Store, never shown.
type Credential struct {
	PasswordHash string // argon2id in PHC form, see HashPassword
	TOTPSecret   []byte // sealed with the terminal key (record id: account id, column "totp_secret"); nil when not enrolled
	TOTPLastStep int64  // the last accepted 30-second step; a code of this step or older is refused
}

// Roles an account may have. The kiosk role is the self-service terminal's,
// never an account's.
var Roles = []app.Role{app.RoleAdmin, app.RoleSupervisor, app.RoleClerk}

// RoleName returns the Turkish name of a role for screens and messages.
func RoleName(r app.Role) string {
	switch r {
	case app.RoleAdmin:
		return "yönetici"
	case app.RoleSupervisor:
		return "birim sorumlusu"
	case app.RoleClerk:
		return "gişe görevlisi"
	case app.RoleKiosk:
		return "self servis kiosku"
	}
	return string(r)
}

// validRole reports whether r is an account role.
func validRole(r app.Role) bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}
