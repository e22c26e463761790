package auth

import (
	"context"
	"time"

	"github.com/kocasinan/gise/app"
)

// Store keeps accounts, their credentials, recovery codes, login throttles and
// the terminal's enrolment. Every write appends its audit event in the same
// transaction (the action named in each method's comment or passed in), so a
// security event is never recorded without its effect or the other way round.
// Errors are *app.Error where a code is named; anything else is EINTERNAL.
type Store interface {
	// CountAccounts returns how many accounts exist, disabled ones included.
	CountAccounts(ctx context.Context) (int, error)
	// CreateFirstAdmin stores the first account, its credential and its
	// recovery-code hashes, audited as account.created and setup.completed.
	// ECONFLICT when any account already exists.
	CreateFirstAdmin(ctx context.Context, a *Account, c Credential, recovery [][]byte) error
	// CreateAccount stores a new account (no TOTP yet), audited as
	// account.created. ECONFLICT when the username is taken.
	CreateAccount(ctx context.Context, actor app.Actor, a *Account, c Credential) error
	// AccountByUsername returns the account and its credential. ENOTFOUND
	// when there is none.
	AccountByUsername(ctx context.Context, username string) (*Account, *Credential, error)
	// AccountByID returns the account alone (no credential): what every
	// service call re-reads to check its session, so it must stay cheap.
	// ENOTFOUND when there is none.
	AccountByID(ctx context.Context, id string) (*Account, error)
	// Accounts lists every account by username.
	Accounts(ctx context.Context) ([]*Account, error)
	// UpdateAccount writes a's Role and Disabled, audited with action.
	// Every write below that changes what an account may do or how it proves
	// itself (UpdateAccount, SetPassword, SetTOTP, ResetTOTP,
	// UseRecoveryCode) raises the account's Generation by one; RehashPassword,
	// AcceptStep and the throttle do not.
	// ECONFLICT when the change would leave no enabled admin; ENOTFOUND when
	// a does not exist.
	UpdateAccount(ctx context.Context, actor app.Actor, a *Account, action string) error
	// SetPassword replaces an account's password hash and its
	// must-change flag, audited with action.
	SetPassword(ctx context.Context, actor app.Actor, accountID, hash string, mustChange bool, action string) error
	// RehashPassword replaces an account's password hash with newHash only
	// while it is still oldHash (a reset or change made meanwhile wins),
	// audited as account.password_rehashed; it reports whether it did.
	RehashPassword(ctx context.Context, actor app.Actor, accountID, oldHash, newHash string) (bool, error)
	// SetTOTP stores a newly enrolled (sealed) secret, sets the last step to
	// step, clears must-reenrol, and replaces the recovery codes with the
	// given hashes, audited as account.totp_enrolled.
	SetTOTP(ctx context.Context, actor app.Actor, accountID string, sealed []byte, step int64, recovery [][]byte) error
	// ResetTOTP removes the secret and the recovery codes and sets
	// must-reenrol, audited as account.totp_reset.
	ResetTOTP(ctx context.Context, actor app.Actor, accountID string) error
	// Throttle returns the throttle kept under key (a blind index of the
	// username typed), the zero Throttle when there is none.
	Throttle(ctx context.Context, key []byte) (Throttle, error)
	// LoginFailed counts one failure against key (see Throttle.Fail, at the
	// store's clock) and audits action about object, in one transaction. It
	// returns the updated throttle. Throttles whose last failure is older than
	// ThrottleMemory are forgotten first.
	LoginFailed(ctx context.Context, actor app.Actor, key []byte, action, object string) (Throttle, error)
	// AcceptStep records a second factor passed with TOTP step: it keeps
	// step with the store's time among the account's accepted steps, clears
	// the throttle under key and audits action. ECONFLICT, with nothing
	// written, when step itself was accepted before (a replayed code) or a
	// later step up to horizon was (a newer code is already used). A later
	// step above horizon, accepted while the clock ran ahead, does not block
	// the codes of the time before it.
	AcceptStep(ctx context.Context, actor app.Actor, key []byte, accountID string, step, horizon int64, action string) error
	// UseRecoveryCode marks the unused recovery code with this hash as used,
	// sets must-reenrol, clears the throttle under key and audits
	// login.recovery_used. ENOTFOUND, with nothing written, when no unused
	// code has this hash.
	UseRecoveryCode(ctx context.Context, actor app.Actor, key []byte, accountID string, hash []byte) error
	// RecoveryCodesLeft returns how many unused recovery codes an account has.
	RecoveryCodesLeft(ctx context.Context, accountID string) (int, error)
	// Audit appends an event that has no write of its own.
	Audit(ctx context.Context, actor app.Actor, action, object string) error
	// SaveEnrolment replaces the terminal's enrolment, audited as
	// terminal.enrolment_saved.
	SaveEnrolment(ctx context.Context, actor app.Actor, e StoredEnrolment) error
	// Enrolment returns the terminal's enrolment. ENOTFOUND when the terminal
	// was never enrolled.
	Enrolment(ctx context.Context) (StoredEnrolment, error)
}

// StoredEnrolment is the terminal's enrolment as stored: the token sealed.
type StoredEnrolment struct {
	CentralURL  string
	DeviceID    string
	TokenSealed []byte // record id "terminal", column "enrolment_token"
	SavedAt     time.Time
	SavedBy     string
}
