package counter

import (
	"context"
	"encoding/json"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
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
	Printer app.Printer // nil on a terminal that never prints
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

// PrintJobs returns the jobs waiting or failed, for reprint, after asking
// the print system how each stands (so that a job printed meanwhile leaves
// the list).
func (s *Supervision) PrintJobs(ctx context.Context, sess *auth.Session) ([]*app.PrintJob, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return nil, err
	}
	if s.Printer == nil {
		return nil, nil
	}
	if err := s.Printer.Refresh(ctx); err != nil {
		return nil, err
	}
	return s.Printer.Pending(ctx)
}

// Reprint sends a listed job to queue again; the copy the print system still
// holds is cancelled first.
func (s *Supervision) Reprint(ctx context.Context, sess *auth.Session, id, queue string) (*app.PrintJob, error) {
	if err := auth.Require(ctx, sess, superviseRoles...); err != nil {
		return nil, err
	}
	if s.Printer == nil || queue == "" {
		return nil, app.Errorf(app.EINVALID, "Bu terminale yazıcı tanımlanmamış.")
	}
	return s.Printer.Reprint(ctx, id, queue)
}
