package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kocasinan/gise/app"
)

// ResendCorrected implements app.OutboxStore.
func (s *Store) ResendCorrected(ctx context.Context, actor app.Actor, id string, data json.RawMessage, note string) (string, error) {
	var obj map[string]any
	if json.Unmarshal(data, &obj) != nil || obj == nil {
		return "", app.FieldError("data", "Düzeltilmiş kayıt geçerli bir JSON nesnesi olmalı.")
	}
	var newID string
	err := s.resolve(ctx, actor, id, note, func(w *wtx, e *app.OutboxEntry) error {
		var subject string
		if err := w.QueryRowContext(ctx, `SELECT subject FROM outbox WHERE id = ?`, id).Scan(&subject); err != nil {
			return fmt.Errorf("resend: %w", err)
		}
		var err error
		if newID, err = w.enqueue(e.Type, subject, data); err != nil {
			return err
		}
		if err := w.closeEntry(id, "resent as "+newID+": "+note); err != nil {
			return err
		}
		return w.audit("outbox.resent", id)
	})
	return newID, err
}

// CloseEntry implements app.OutboxStore.
func (s *Store) CloseEntry(ctx context.Context, actor app.Actor, id, note string) error {
	return s.resolve(ctx, actor, id, note, func(w *wtx, _ *app.OutboxEntry) error {
		if err := w.closeEntry(id, "closed: "+note); err != nil {
			return err
		}
		return w.audit("outbox.closed", id)
	})
}

// resolve checks the supervisor's right, the note and the record's state,
// then runs fn in the same write transaction.
func (s *Store) resolve(ctx context.Context, actor app.Actor, id, note string, fn func(*wtx, *app.OutboxEntry) error) error {
	if !actor.MaySupervise() {
		return app.Errorf(app.EPERMISSION, "Bu işlemi yalnızca bir yönetici (sorumlu) yapabilir.")
	}
	if strings.TrimSpace(note) == "" {
		return app.FieldError("note", "Neden bu kararı verdiğinizi kısaca yazın.")
	}
	return s.write(ctx, actor, func(w *wtx) error {
		e, err := s.scanEntry(w.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM `+withPayloads+` WHERE id = ?`, id))
		if err != nil {
			return app.Errorf(app.ENOTFOUND, "Bu kayıt gönderim kuyruğunda yok.")
		}
		if e.State != app.OutboxRejected && e.State != app.OutboxConflict {
			return app.Errorf(app.ECONFLICT, "Bu kayıt reddedilmiş ya da çakışmalı değil; üzerinde işlem yapılamaz.")
		}
		return fn(w, e)
	})
}

func (w *wtx) closeEntry(id, resolution string) error {
	_, err := w.ExecContext(w.ctx, `UPDATE outbox SET state = 'closed', resolution = ? WHERE id = ?`, resolution, id)
	if err != nil {
		return fmt.Errorf("close outbox entry: %w", err)
	}
	return nil
}

// UnblockSync implements app.OutboxStore.
func (s *Store) UnblockSync(ctx context.Context, actor app.Actor) error {
	if actor.Role != app.RoleAdmin {
		return app.Errorf(app.EPERMISSION, "Gönderimi yalnızca sistem yöneticisi yeniden başlatabilir.")
	}
	return s.write(ctx, actor, func(w *wtx) error {
		if err := setState(ctx, w, app.SyncBlocked, ""); err != nil {
			return fmt.Errorf("unblock sync: %w", err)
		}
		return w.audit("sync.unblocked", w.s.TerminalID)
	})
}
