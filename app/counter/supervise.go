package counter

import (
	"context"
	"encoding/json"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/cups"
)

// SuperviseStore is what a supervisor's work needs of the local store.
type SuperviseStore interface {
	OutboxEntries(ctx context.Context, state app.OutboxState, limit int) ([]app.OutboxEntry, error)
	ResendCorrected(ctx context.Context, actor app.Actor, id string, data json.RawMessage, note string) (string, error)
	CloseEntry(ctx context.Context, actor app.Actor, id, note string) error
}

// Supervision is a supervisor's work on records the central did not take:
// conflicts and rejections are never resent by themselves; a supervisor
// resends a corrected copy as a new record, or closes it with a note. Both
// are audited by the store.
type Supervision struct {
	Store   SuperviseStore
	Printer PrintQueue // nil when no printer is configured
}

var superviseRoles = []app.Role{app.RoleSupervisor, app.RoleAdmin}

// Problems returns the records in conflict and the rejected ones.
func (s *Supervision) Problems(ctx context.Context, sess *auth.Session) ([]app.OutboxEntry, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return nil, err
	}
	conflicts, err := s.Store.OutboxEntries(ctx, app.OutboxConflict, 200)
	if err != nil {
		return nil, err
	}
	rejected, err := s.Store.OutboxEntries(ctx, app.OutboxRejected, 200)
	return append(conflicts, rejected...), err
}

// Resend queues data as a corrected new record in place of id.
func (s *Supervision) Resend(ctx context.Context, sess *auth.Session, id string, data json.RawMessage, note string) (string, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return "", err
	}
	return s.Store.ResendCorrected(ctx, sess.Actor(), id, data, note)
}

// Close closes a conflicting or rejected record with a note.
func (s *Supervision) Close(ctx context.Context, sess *auth.Session, id, note string) error {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return err
	}
	return s.Store.CloseEntry(ctx, sess.Actor(), id, note)
}

// PrintQueue is the printer's list of jobs that did not come out.
type PrintQueue interface {
	Pending(ctx context.Context) ([]*cups.Job, error)
	Reprint(ctx context.Context, id string) (string, error)
}

// PrintJobs returns the jobs waiting or failed, for reprint.
func (s *Supervision) PrintJobs(ctx context.Context, sess *auth.Session) ([]*cups.Job, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return nil, err
	}
	if s.Printer == nil {
		return nil, nil
	}
	return s.Printer.Pending(ctx)
}

// Reprint sends a listed job to the printer again.
func (s *Supervision) Reprint(ctx context.Context, sess *auth.Session, id string) (string, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return "", err
	}
	if s.Printer == nil {
		return "", app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış.")
	}
	return s.Printer.Reprint(ctx, id)
}
