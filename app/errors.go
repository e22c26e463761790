// Package app is Gişe's domain: citizens, identity checks, notices, complaints,
// clerks, the outbox and the audit chain, and the interfaces that the storage,
// sync and user-interface adapters implement or call. It imports no GUI
// toolkit, no HTTP client and no SQL driver.
package app

import (
	"errors"
	"fmt"
)

// Error codes: stable strings for programs. The message beside each error is
// for people, in Turkish.
const (
	EINVALID    = "invalid"      // the input breaks a rule; the message says which
	ENOTFOUND   = "not_found"    // the thing asked for does not exist
	ECONFLICT   = "conflict"     // the write collides with what is already stored
	EPERMISSION = "permission"   // the actor's role may not do this
	EUNAUTH     = "unauthorized" // the actor is not (or no longer) logged in
	ETHROTTLED  = "throttled"    // too many attempts; wait and try again
	EINTERNAL   = "internal"     // anything else; details go to the log, not the screen
)

// Error is a domain error: a Code for programs, a Message for people (Turkish,
// saying what to do next), an optional Field naming the input at fault, and an
// optional wrapped internal error that is logged but never shown.
type Error struct {
	Code    string
	Field   string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID *Error about one input field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: message}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message for people of the first *Error in err's
// chain, or a generic Turkish sentence for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "Beklenmeyen bir hata oluştu. İşlemi tekrar deneyin; sürerse bilgi işlem birimine haber verin."
	}
}

// ErrorField returns the Field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
